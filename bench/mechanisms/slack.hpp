// The timer slack of the calling thread, for the timer family: the process runs
// with 1 ns (set in main, inherited by every thread), and the slack:default
// rows put back, for their own duration, the slack the kernel would have given
// this thread (50 us unless the parent changed it).
#pragma once

#include <chrono>
#include <optional>

namespace kitchen::bench {

// The calling thread's default slack: what prctl(PR_SET_TIMERSLACK, 0)
// restores. Leaves the slack in force as it was.
std::optional<std::chrono::nanoseconds> default_timer_slack();

// Sets the calling thread's slack (0: its default) for the lifetime of the
// scope.
class SlackScope {
 public:
  explicit SlackScope(std::chrono::nanoseconds slack);
  SlackScope(const SlackScope&) = delete;
  SlackScope& operator=(const SlackScope&) = delete;
  ~SlackScope();

  // The slack in force inside the scope, or nothing where the platform has no
  // such setting.
  std::optional<std::chrono::nanoseconds> in_force() const { return in_force_; }

 private:
  std::optional<std::chrono::nanoseconds> before_;
  std::optional<std::chrono::nanoseconds> in_force_;
};

}  // namespace kitchen::bench
