#include "kitchen/gil.hpp"

#include <algorithm>

#include "kitchen/cpu_work.hpp"

namespace kitchen {

Gil::Gil(std::chrono::nanoseconds switch_interval)
    : interval_(switch_interval),
      // A fiftieth of the interval, at least 1 us: the hand-over comes at most
      // ~2% late.
      slice_units_(std::max<std::uint64_t>(
          1, units_for(std::max(switch_interval / 50,
                                std::chrono::nanoseconds(1000))))) {}

void Gil::acquire() {
  std::unique_lock lock(mutex_);
  const std::uint64_t ticket = next_ticket_++;
  waiting_.fetch_add(1, std::memory_order_relaxed);
  turn_.wait(lock, [&] { return serving_ == ticket; });
  waiting_.fetch_sub(1, std::memory_order_relaxed);
}

void Gil::release() {
  {
    std::lock_guard lock(mutex_);
    ++serving_;
  }
  turn_.notify_all();
}

std::uint64_t Gil::burn(std::uint64_t units, std::uint64_t seed) {
  using clock = std::chrono::steady_clock;
  acquire();
  auto held_since = clock::now();
  std::uint64_t x = seed;
  while (units > 0) {
    const std::uint64_t slice = std::min(units, slice_units_);
    x = kitchen::burn(slice, x);
    units -= slice;
    if (units > 0 && waiting_.load(std::memory_order_relaxed) > 0 &&
        clock::now() - held_since >= interval_) {
      release();  // the next ticket is a waiter's: this thread queues behind it
      acquire();
      held_since = clock::now();
    }
  }
  release();
  return x;
}

}  // namespace kitchen
