// The threads a thread executor starts for one service, joined when it ends,
// whatever happens.
//
// When the OS refuses a thread, the refusal becomes a ResourceLimitError that
// names the limits in force; the threads already started are joined when the
// crew goes out of scope (after the executor has let them finish). Given a stop
// signal, the crew also supervises: when the stop is raised it interrupts every
// thread (Boost.Thread interruption, which ends their sleeps and waits) before
// joining them.
#pragma once

#include <algorithm>
#include <atomic>
#include <boost/thread/thread.hpp>
#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

#include "executors/executors.hpp"
#include "executors/stop_signal.hpp"
#include "executors/sync_ops.hpp"
#include "kitchen/census.hpp"

namespace kitchen {

// Refuses, before anything starts, a service that needs more threads than
// --max-threads (when given) or than the OS allows: a ResourceLimitError that
// names the limit and its value.
void check_thread_budget(std::string_view who, std::size_t needed, std::int64_t max_threads);

// The threads of a kitchen whose threads each serve order after order: one per chef, but no more
// than there are orders, which would only stand idle (ThreadPoolExecutor starts no more either).
inline std::uint32_t threads_for(const Service& service) {
  return std::min(service.chefs, static_cast<std::uint32_t>(service.customers()));
}

class ThreadCrew {
 public:
  // `ledger` receives each thread's synchronisation count; `stop`, when given,
  // is supervised.
  ThreadCrew(std::size_t expected, Ledger& ledger, StopSignal* stop)
      : ledger_(&ledger), stop_(stop) {
    threads_.reserve(expected);
  }
  ThreadCrew(const ThreadCrew&) = delete;
  ThreadCrew& operator=(const ThreadCrew&) = delete;
  ~ThreadCrew() { join(); }

  template <class F>
  void start(const boost::thread::attributes& attributes, F&& body, std::string_view who) {
    try {
      threads_.emplace_back(attributes, [this, body = std::forward<F>(body)]() mutable {
        const census::CountedThread counted;
        body();
        ledger_->add_sync_ops(t_sync_ops);
        if (stop_) {
          finished_.fetch_add(1, std::memory_order_relaxed);
          stop_->poke();
        }
      });
    } catch (const boost::thread_resource_error& e) {
      refused(who, e.what());
    }
  }

  // Waits for every thread started so far (interrupting them all first if the
  // service is told to stop); returns how many there were.
  std::size_t join();

 private:
  // Throws ResourceLimitError naming the limits.
  [[noreturn]] void refused(std::string_view who, const char* why) const;

  Ledger* ledger_;
  StopSignal* stop_;
  std::atomic<std::size_t> finished_{0};
  std::vector<boost::thread> threads_;
};

}  // namespace kitchen
