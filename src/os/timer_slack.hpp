// Linux lets a sleeping thread wake up to "timer slack" late (50 us by default)
// so that wake-ups can be batched. Left alone, every thread sleep overshoots by
// that much while an epoll timeout may not, which would tilt the comparison:
// every program here sets the same slack, before it starts any thread (threads
// inherit it), and records the value in its output.
#pragma once

#include <chrono>
#include <optional>

namespace kitchen::os {

// Sets the calling thread's timer slack, inherited by threads it creates
// afterwards. Returns the slack now in force, or nothing where the platform has
// no such setting.
std::optional<std::chrono::nanoseconds> set_timer_slack(std::chrono::nanoseconds slack);

std::optional<std::chrono::nanoseconds> timer_slack();

}  // namespace kitchen::os
