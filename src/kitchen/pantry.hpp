// The pantry: one stock count shared by the whole kitchen, taken from once per
// ingredient cooked. It is the suite's measure of "needs synchronization":
// locked, every take is a lock acquisition; unlocked, a take is a plain read
// then a write of the count (relaxed atomics, so a logical race and not
// undefined behaviour), and takes that overlap on different threads are lost.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace kitchen {

enum class PantryMode : std::uint8_t { kLocked, kUnlocked };

class Pantry {
 public:
  explicit Pantry(PantryMode mode) : mode_(mode) {}

  void take() {
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
      const std::int64_t seen = stock_.load(std::memory_order_relaxed);
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
