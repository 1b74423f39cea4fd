#include "mechanisms/slack.hpp"

#include "os/timer_slack.hpp"

namespace kitchen::bench {

SlackScope::SlackScope(std::chrono::nanoseconds slack)
    : before_(os::timer_slack()), in_force_(os::set_timer_slack(slack)) {}

SlackScope::~SlackScope() {
  if (before_) os::set_timer_slack(*before_);
}

std::optional<std::chrono::nanoseconds> default_timer_slack() {
  const SlackScope scope(std::chrono::nanoseconds(0));
  return scope.in_force();
}

}  // namespace kitchen::bench
