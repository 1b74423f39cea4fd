// How an order arrives in an open-loop service (Service::arrivals), for the
// executors whose orders are handed over by a thread: the arrival schedule (or
// the chef taking the next order) sleeps to the order's absolute due time, never
// waiting for the kitchen, and the ledger records when the hand-over happened.
// In a closed batch these do nothing: every order is there at open.
#pragma once

#include <boost/thread/thread.hpp>
#include <chrono>
#include <thread>

#include "kitchen/gil.hpp"
#include "kitchen/ledger.hpp"

namespace kitchen {

// The schedule's thread (one that holds no GIL) hands `order` over at its time:
// it sleeps until then and records the hand-over.
inline void hand_over_when_due(Ledger& ledger, const Service& service, std::uint32_t order) {
  if (!service.open_loop()) return;
  std::this_thread::sleep_until(ledger.due(order));
  ledger.arrived(order);
}

// A chef loop takes the next order whose time has come: if it is not there yet
// the chef sleeps until it is (interruptibly in a fail-fast service, letting the
// GIL go as any sleep does); if it is, it has been waiting since its time. Both
// clocks are CLOCK_MONOTONIC on Linux, so a std due time converts to Boost's.
inline void take_when_due(Ledger& ledger, const Service& service, std::uint32_t order) {
  if (!service.open_loop()) return;
  const auto due = ledger.due(order);
  if (std::chrono::steady_clock::now() >= due) return ledger.arrived_before_taken(order);
  {
    const GilReleased sleeping(service.gil);
    if (service.fail_fast) {
      boost::this_thread::sleep_until(boost::chrono::steady_clock::time_point(
          boost::chrono::nanoseconds(due.time_since_epoch().count())));
    } else {
      std::this_thread::sleep_until(due);
    }
  }
  ledger.arrived(order);
}

}  // namespace kitchen
