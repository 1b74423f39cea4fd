#include "os/timer_slack.hpp"

#if defined(__linux__)
#include <sys/prctl.h>
#endif

namespace kitchen::os {

std::optional<std::chrono::nanoseconds> timer_slack() {
#if defined(__linux__)
  const int slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
  if (slack >= 0) return std::chrono::nanoseconds(slack);
#endif
  return std::nullopt;
}

std::optional<std::chrono::nanoseconds> set_timer_slack(std::chrono::nanoseconds slack) {
#if defined(__linux__)
  if (prctl(PR_SET_TIMERSLACK, static_cast<unsigned long>(slack.count()), 0, 0, 0) != 0) {
    return timer_slack();
  }
#endif
  return timer_slack();
}

}  // namespace kitchen::os
