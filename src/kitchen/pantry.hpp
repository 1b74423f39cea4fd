// The pantry: one stock count shared by the whole kitchen, taken from once per
// ingredient cooked. It is the suite's measure of "needs synchronization".
//
// A take spans the cooking step it feeds, like Python's `seen = stock; cook();
// stock = seen - 1`: begin_take() before the step, end_take() after it.
// Unlocked, begin reads the count and end writes what it read less one (relaxed
// atomics, so a logical race and not undefined behaviour): takes whose steps
// overlap on different threads are lost, and every executor leaves the same
// window open, a whole step. Locked, end_take() is one lock acquisition around
// the decrement alone, so the lock is held for as short a time as ever.
//
// Unlocked with an await inside (kUnlockedAwait): the read comes before the fetch of the
// ingredient, and the write after its step, like `seen = stock; await fetch(); cook();
// stock = seen - 1` in a coroutine. The window then spans a wait, and a kitchen that runs on
// one thread races too: another order's take can run while this one is suspended.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace kitchen {

enum class PantryMode : std::uint8_t { kLocked, kUnlocked, kUnlockedAwait };

class Pantry {
 public:
  explicit Pantry(PantryMode mode) : mode_(mode) {}

  // Where a take begins, before its step: unlocked, the count as read now; locked, nothing (0).
  std::int64_t begin_take() const {
    return mode_ == PantryMode::kLocked ? 0 : stock_.load(std::memory_order_relaxed);
  }

  // Whether a take begins before the fetch it waits for (kUnlockedAwait) rather than just
  // before its step.
  bool awaits_inside() const { return mode_ == PantryMode::kUnlockedAwait; }

  // Where the take begun with begin_take() (which returned `seen`) ends, after its step.
  void end_take(std::int64_t seen) {
    if (mode_ == PantryMode::kLocked) {
      // A free lock costs one try_lock; only a taken one is timed, so the
      // measurement of contention costs nothing where there is none.
      if (!mutex_.try_lock()) {
        const auto asked = std::chrono::steady_clock::now();
        mutex_.lock();
        wait_ns_ += (std::chrono::steady_clock::now() - asked).count();
      }
      const std::lock_guard lock(mutex_, std::adopt_lock);
      // Under the lock: counting adds no synchronisation of its own.
      ++locks_;
      stock_.store(stock_.load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
    } else {
      stock_.store(seen - 1, std::memory_order_relaxed);
    }
  }

  // Takes that left no trace, given how many were made since the last restock.
  std::int64_t lost_updates(std::int64_t takes) const {
    return takes - (kFull - stock_.load(std::memory_order_relaxed));
  }

  // Lock acquisitions since the last restock: the pantry's share of
  // sync_ops_per_dish. Counted here rather than per thread because the pantry
  // is also taken from on threads the executor does not own (asio_offload's
  // pool).
  std::uint64_t locks() const { return locks_; }

  // Time spent waiting for the lock since the last restock, in nanoseconds: the
  // share of a thread kitchen's loss that is lock contention.
  std::int64_t wait_ns() const { return wait_ns_; }

  void restock() {
    stock_.store(kFull, std::memory_order_relaxed);
    locks_ = 0;
    wait_ns_ = 0;
  }
  PantryMode mode() const { return mode_; }

 private:
  static constexpr std::int64_t kFull = std::int64_t{1} << 40;
  const PantryMode mode_;
  std::mutex mutex_;
  std::uint64_t locks_ = 0;
  std::int64_t wait_ns_ = 0;
  alignas(64) std::atomic<std::int64_t> stock_{kFull};
};

}  // namespace kitchen
