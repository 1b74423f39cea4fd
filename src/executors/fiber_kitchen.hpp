// The kitchen the fiber executors share: one fiber per order, launched as the orders come in (at
// open in a closed batch, at each order's time in an open loop), at most `chefs` of them cooking
// at once through a fiber semaphore of chef ids, each cooking in blocking style with the fetch its
// executor gives. It reads like threads_per_order with fiber types; an executor picks the
// scheduler its threads run and the fetch, and writes only its serve().
//
// Boost.Fiber has no interruption: a fail-fast failure stops the kitchen by its stop flag, which
// every fiber reads after each wait, and by dismissing the fibers still waiting for a chef. A
// fiber in the middle of a wait finishes that wait (one ingredient's I/O at most) first.
#pragma once

#include <boost/fiber/fiber.hpp>
#include <boost/fiber/operations.hpp>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "executors/chef_roster.hpp"
#include "executors/fetcher.hpp"
#include "executors/fiber_stack.hpp"
#include "executors/stop_signal.hpp"
#include "executors/sync_ops.hpp"
#include "executors/thread_cooking.hpp"
#include "kitchen/gil.hpp"
#include "kitchen/ledger.hpp"

namespace kitchen::fiber {

// The fibers of one service, joined when it ends, whatever happens: a fiber that is still
// joinable when its object goes would end the process.
class FiberCrew {
 public:
  explicit FiberCrew(std::size_t expected) { fibers_.reserve(expected); }
  FiberCrew(const FiberCrew&) = delete;
  FiberCrew& operator=(const FiberCrew&) = delete;
  ~FiberCrew() { join(); }

  // Launches `body` on a stack from `stack`; a stack the system refuses is a ResourceLimitError
  // that names the stacks and the mapping cap.
  template <class Stack, class F>
  void start(Stack& stack, F&& body, std::string_view who, const Staffing& staffing) {
    try {
      fibers_.emplace_back(std::allocator_arg, stack, std::forward<F>(body));
    } catch (const std::bad_alloc&) {
      refused(who, staffing);
    } catch (const std::system_error&) {
      refused(who, staffing);
    }
  }

  void join() {
    for (boost::fibers::fiber& f : fibers_) {
      if (f.joinable()) f.join();
    }
  }

 private:
  [[noreturn]] void refused(std::string_view who, const Staffing& staffing) const;

  std::vector<boost::fibers::fiber> fibers_;
};

// In an open loop the launching fiber is the arrival schedule: it sleeps (a fiber's sleep, so
// the others cook meanwhile) until the order's time, and records the hand-over.
inline void hand_over_on_fiber(Ledger& ledger, const Service& service, std::uint32_t order) {
  if (!service.open_loop()) return;
  boost::this_fiber::sleep_until(ledger.due(order));
  ledger.arrived(order);
}

// Serves every order of `service` on fibers launched from this thread, which must already run the
// scheduler the executor chose; returns when every fiber has ended. `fetch(cooking)` waits for the
// next ingredient.
template <class Fetch>
void serve_on_fibers(const Service& service, const Fetcher& fetcher, Ledger& ledger,
                     const Staffing& staffing, std::string_view who, Fetch fetch) {
  StopSignal stop;
  FiberRoster roster(service.chefs);
  const std::uint64_t sync_before = t_sync_ops;
  const auto customers = static_cast<std::uint32_t>(service.customers());
  ledger.opened();
  with_fiber_stack(staffing, [&](auto& stack) {
    FiberCrew crew(customers);
    try {
      for (std::uint32_t order = 0; order < customers; ++order) {
        if (!stop.requested()) hand_over_on_fiber(ledger, service, order);
        crew.start(
            stack,
            [&service, &fetcher, &ledger, &roster, &stop, &fetch, order] {
              const GilHeld python(service.gil);
              std::uint32_t chef = 0;
              try {
                // Waiting for a chef suspends the fiber: the GIL is let go meanwhile.
                const GilReleased waiting(service.gil);
                chef = roster.acquire();
              } catch (const ChefsDismissed&) {
                forget_unwound_frames();
                return ledger.cancel(order);
              }
              cook_blocking(service, fetcher, ledger, stop, order, chef, fetch);
              roster.release(chef);
              if (stop.requested()) roster.dismiss();
            },
            who, staffing);
      }
    } catch (...) {
      // The fibers already launched must end before the crew joins them.
      stop.request();
      roster.dismiss();
      throw;
    }
    crew.join();
  });
  ledger.add_sync_ops(t_sync_ops - sync_before);
}

}  // namespace kitchen::fiber
