#include "kitchen/gil.hpp"

#include <algorithm>
#include <condition_variable>

#include "kitchen/check.hpp"
#include "kitchen/cpu_work.hpp"

namespace kitchen {

// Each waiter has its own condition variable, so a release wakes exactly the thread it hands the
// GIL to: with one shared variable, notify_one could wake another waiter than the requester.
struct Gil::Waiter {
  std::thread::id id;
  std::condition_variable wake;
  // Set, under the mutex, by the thread that hands the GIL over.
  bool granted = false;
  Waiter* prev = nullptr;
  Waiter* next = nullptr;
};

Gil::Gil(std::chrono::nanoseconds switch_interval)
    : interval_(switch_interval),
      // A fiftieth of the interval, at least 1 us: a drop request waits at most ~2% of an
      // interval for the holder.
      slice_units_(std::max<std::uint64_t>(
          1, units_for(std::max(switch_interval / 50, std::chrono::nanoseconds(1000))))) {}

bool Gil::held_by_this_thread() const {
  return holder_.load(std::memory_order_relaxed) == std::this_thread::get_id();
}

void Gil::become_holder(std::thread::id to) {
  if (last_holder_ != std::thread::id() && last_holder_ != to) {
    switches_.fetch_add(1, std::memory_order_relaxed);
  }
  last_holder_ = to;
  holder_.store(to, std::memory_order_relaxed);
}

void Gil::grant(Waiter* w) {
  // Out of the queue.
  (w->prev ? w->prev->next : head_) = w->next;
  (w->next ? w->next->prev : tail_) = w->prev;
  waiting_.fetch_sub(1, std::memory_order_relaxed);
  if (w == requester_) {
    requester_ = nullptr;
    drop_request_.store(false, std::memory_order_relaxed);
  }
  become_holder(w->id);
  w->granted = true;
  // Notified under the mutex: once the waiter can see `granted` it may return and destroy `w`,
  // and it cannot see it before this thread unlocks.
  w->wake.notify_one();
}

void Gil::take() {
  const std::thread::id me = std::this_thread::get_id();
  std::unique_lock lock(mutex_);
  KITCHEN_CHECK(holder_.load(std::memory_order_relaxed) != me, "take() by the holder");
  if (holder_.load(std::memory_order_relaxed) == std::thread::id()) {
    become_holder(me);
    return;
  }
  Waiter self;
  self.id = me;
  self.prev = tail_;
  (tail_ ? tail_->next : head_) = &self;
  tail_ = &self;
  waiting_.fetch_add(1, std::memory_order_relaxed);

  using clock = std::chrono::steady_clock;
  std::uint64_t seen = switches_.load(std::memory_order_relaxed);
  auto deadline = clock::now() + interval_;
  while (!self.granted) {
    if (self.wake.wait_until(lock, deadline) != std::cv_status::timeout || self.granted) continue;
    // A whole interval without a switch: ask the holder to drop, unless another waiter has.
    if (switches_.load(std::memory_order_relaxed) == seen && requester_ == nullptr) {
      requester_ = &self;
      drop_request_.store(true, std::memory_order_relaxed);
    }
    seen = switches_.load(std::memory_order_relaxed);
    deadline = clock::now() + interval_;
  }
}

void Gil::drop() {
  std::lock_guard lock(mutex_);
  KITCHEN_CHECK(held_by_this_thread(), "drop() by a thread that does not hold the GIL");
  // Any waiter takes it before the dropper can queue again: the requester, else the oldest.
  if (head_ != nullptr) {
    grant(requester_ ? requester_ : head_);
  } else {
    holder_.store(std::thread::id(), std::memory_order_relaxed);
  }
}

void Gil::check() {
  KITCHEN_CHECK(held_by_this_thread(), "check() by a thread that does not hold the GIL");
  if (!drop_request_.load(std::memory_order_relaxed)) return;
  // The requester takes the GIL in drop(); this thread then queues behind it.
  drop();
  take();
}

std::uint64_t Gil::burn(std::uint64_t units, std::uint64_t seed) {
  KITCHEN_CHECK(held_by_this_thread(), "Gil::burn() by a thread that does not hold the GIL");
  std::uint64_t x = seed;
  while (units > 0) {
    const std::uint64_t slice = std::min(units, slice_units_);
    x = kitchen::burn(slice, x);
    units -= slice;
    if (units > 0) check();
  }
  return x;
}

}  // namespace kitchen
