// One order in preparation, as a small synchronous state machine. The pipeline
// is lazy: fetch ingredient 1, cook it, season it, then ingredient 2, and so on. An executor drives
// it with a loop that decides only how to wait:
//
//   while (!c.done()) { wait(c.next_wait()); c.step(); }
//
// The wait is the executor's (the I/O part); step() is the CPU part, the same
// for everyone.
#pragma once

#include <chrono>
#include <cstdint>

#include "kitchen/menu.hpp"
#include "kitchen/service.hpp"

namespace kitchen {

class Cooking {
 public:
  Cooking(const Service& service, std::uint32_t order, std::uint32_t chef)
      : service_(&service),
        dish_(&menu()[service.orders[order].dish]),
        order_(order),
        chef_(chef),
        fail_at_(service.failures.empty() ? -1 : service.failures[order]),
        checksum_(order) {
    begin_awaited_take();
  }

  bool done() const { return next_ == dish_->ingredients.size(); }

  // How long fetching the next ingredient takes; the executor waits this long
  // before step().
  std::chrono::nanoseconds next_wait() const { return service_->costs.io; }
  // Which ingredient the next fetch asks for: its place in the dish (0, 1, ...).
  std::uint32_t next_ingredient() const { return next_; }

  // The next ingredient has arrived: take it from the pantry, cook it (real CPU
  // work) and season it. Throws OutOfStock when the failure plan says the
  // ingredient is missing.
  void step();

  std::uint32_t order() const { return order_; }
  std::uint32_t chef() const { return chef_; }
  std::uint32_t steps_done() const { return next_; }
  // Folds every step's work: equal across executors for the same order, and
  // keeps the work alive.
  std::uint64_t checksum() const { return checksum_; }

 private:
  void emit(Step step) const;
  // With an await inside the take (PantryMode::kUnlockedAwait): reads the stock before the
  // next fetch is waited for; its step writes it back.
  void begin_awaited_take();

  const Service* service_;
  const Dish* dish_;
  std::uint32_t order_;
  std::uint32_t chef_;
  std::uint32_t next_ = 0;
  // The ingredient that is out of stock, or -1
  int fail_at_;
  std::uint64_t checksum_;
  // The stock as read before the fetch, with an await inside the take
  std::int64_t awaited_seen_ = 0;
};

}  // namespace kitchen
