#include "executors/thread_crew.hpp"

#include <string>

#include "os/limits.hpp"

namespace kitchen {

void check_thread_budget(std::string_view who, std::size_t needed, std::int64_t max_threads) {
  const os::ThreadBudget allowed = os::thread_allowance(max_threads);
  if (needed <= static_cast<std::size_t>(allowed.threads)) return;
  const bool flag = allowed.limit.rfind("--max-threads=", 0) == 0;
  throw ResourceLimitError(std::string(who) + " needs " + std::to_string(needed) + " threads, " +
                           (flag ? "more than " + allowed.limit
                                 : "the OS allows " + std::to_string(allowed.threads) + " more (" +
                                       allowed.limit + ")"));
}

std::size_t ThreadCrew::join() {
  if (stop_) {
    const std::size_t started = threads_.size();
    const bool stop = stop_->wait_until_stop_or(
        [&] { return finished_.load(std::memory_order_relaxed) == started; });
    if (stop) {
      for (boost::thread& t : threads_) t.interrupt();
    }
  }
  for (boost::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  return threads_.size();
}

void ThreadCrew::refused(std::string_view who, const char* why) const {
  const std::size_t started = threads_.size();
  const os::ThreadLimits l = os::read_thread_limits();
  throw ResourceLimitError(std::string(who) + ": the OS refused thread " +
                           std::to_string(started + 1) + " (" + why +
                           "); limits: pid_max=" + std::to_string(l.pid_max) +
                           " threads-max=" + std::to_string(l.threads_max) +
                           " max_map_count=" + std::to_string(l.max_map_count) +
                           " RLIMIT_NPROC=" + std::to_string(l.rlimit_nproc));
}

}  // namespace kitchen
