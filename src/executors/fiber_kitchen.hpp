// The kitchen the fiber executors share: one fiber per order, launched as the orders come in (at
// open in a closed batch, at each order's time in an open loop), at most `chefs` of them cooking
// at once through a fiber semaphore of chef ids, each cooking in blocking style with the fetch its
// executor gives. It reads like threads_per_order with fiber types; an executor picks the
// scheduler its threads run and the fetch, and writes only its serve().
//
// Boost.Fiber has no interruption: a fail-fast failure stops the kitchen by its stop flag, which
// every fiber reads after each wait, by ending every fiber's sleep (FiberStop) and by dismissing
// the fibers still waiting for a chef. A fiber waiting for a socket's reply finishes that fetch
// first, as a thread blocked in recv() does.
#pragma once

#include <boost/fiber/condition_variable.hpp>
#include <boost/fiber/fiber.hpp>
#include <boost/fiber/mutex.hpp>
#include <boost/fiber/operations.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
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

// A fail-fast fiber kitchen's stop, seen by fibers: raised once, it ends every fiber's sleep at
// once (sleep_on_fiber waits on it), as Boost.Thread's interruption ends a thread's.
class FiberStop {
 public:
  void request() {
    {
      const std::lock_guard lock(mutex_);
      raised_ = true;
    }
    raised_cv_.notify_all();
  }
  // Sleeps until `due` or the stop, whichever comes first.
  void sleep_until(std::chrono::steady_clock::time_point due) {
    std::unique_lock lock(mutex_);
    raised_cv_.wait_until(lock, due, [this] { return raised_; });
  }

 private:
  boost::fibers::mutex mutex_;
  boost::fibers::condition_variable raised_cv_;
  bool raised_ = false;
};

// A fiber sleeps through `wait`, letting the GIL go meanwhile as time.sleep does; a wait of 0 is
// skipped. In a fail-fast service (`stop` given) the sleep ends early when the kitchen stops,
// where a thread's interruptible sleep would; otherwise it is the fiber's plain sleep.
inline void sleep_on_fiber(std::chrono::nanoseconds wait, Gil* gil, FiberStop* stop) {
  if (wait.count() <= 0) return;
  const GilReleased sleeping(gil);
  if (stop != nullptr) return stop->sleep_until(std::chrono::steady_clock::now() + wait);
  boost::this_fiber::sleep_for(wait);
}

// Serves every order of `service` on fibers launched from this thread, which must already run the
// scheduler the executor chose; returns when every fiber has ended. `fetch(cooking, stop)` waits
// for the next ingredient; `stop` is the kitchen's FiberStop in a fail-fast service, else null.
template <class Fetch>
void serve_on_fibers(const Service& service, const Fetcher& fetcher, Ledger& ledger,
                     const Staffing& staffing, std::string_view who, Fetch fetch) {
  StopSignal stop;
  FiberStop fiber_stop;
  FiberStop* const interrupts = service.fail_fast ? &fiber_stop : nullptr;
  FiberRoster roster(service.chefs);
  const std::uint64_t sync_before = t_sync_ops;
  const auto customers = static_cast<std::uint32_t>(service.customers());
  // The first failure stops the kitchen: no chef for those waiting, no end to any sleep.
  const auto stop_everyone = [&roster, &fiber_stop] {
    roster.dismiss();
    fiber_stop.request();
  };
  ledger.opened();
  with_fiber_stack(staffing, [&](auto& stack) {
    FiberCrew crew(customers);
    try {
      for (std::uint32_t order = 0; order < customers; ++order) {
        if (!stop.requested()) hand_over_on_fiber(ledger, service, order);
        crew.start(
            stack,
            [&service, &fetcher, &ledger, &roster, &stop, &fetch, &stop_everyone, interrupts,
             order] {
              const GilHeld python(service.gil);
              std::optional<std::uint32_t> chef;
              {
                // Waiting for a chef suspends the fiber: the GIL is let go meanwhile.
                const GilReleased waiting(service.gil);
                chef = roster.acquire();
              }
              if (!chef) return ledger.cancel(order);
              cook_blocking(service, fetcher, ledger, stop, order, *chef,
                            [&fetch, interrupts](const Cooking& c) { fetch(c, interrupts); });
              // Handing the chef back takes the roster's fiber mutex, which suspends this fiber
              // when another scheduler thread holds it (fibers_mt): the GIL is let go first, or
              // the next fiber this thread runs would ask for a GIL its own thread holds.
              const GilReleased handing_back(service.gil);
              roster.release(*chef);
              if (stop.requested()) stop_everyone();
            },
            who, staffing);
      }
    } catch (...) {
      // The fibers already launched must end before the crew joins them.
      stop.request();
      stop_everyone();
      throw;
    }
    crew.join();
  });
  ledger.add_sync_ops(t_sync_ops - sync_before);
}

}  // namespace kitchen::fiber
