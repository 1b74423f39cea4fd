// An emulation of CPython's global interpreter lock (the "new GIL" of CPython 3.2+), for the
// Python-faithful mode.
//
// A thread holds the GIL for all of its Python-level work and drops it only around a blocking
// call (GilReleased) or when asked to. A thread that wants the GIL while another holds it waits in
// one-interval timed waits; when a whole interval passes with no switch, it posts a drop request.
// The holder honours the request at its next check() (burn() checks between slices), hands the
// GIL straight to the thread that asked and queues to take it back. Every drop while threads wait
// is such a hand-over to one waiter (the requester, else the longest waiting): a thread that drops
// cannot retake the GIL ahead of a waiter, and one waiter is woken, not all.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <thread>

namespace kitchen {

class Gil {
 public:
  explicit Gil(std::chrono::nanoseconds switch_interval);
  Gil(const Gil&) = delete;
  Gil& operator=(const Gil&) = delete;

  // Blocks until this thread holds the GIL. Precondition: this thread does not hold it.
  void take();
  // This thread gives the GIL up, to one waiting thread if any. Precondition: it holds it.
  void drop();
  // The holder's periodic check (CPython's eval breaker): if another thread has asked for a
  // drop, hand the GIL to it, then wait to take it back. One relaxed load when nobody asked.
  // Precondition: this thread holds the GIL.
  void check();

  // burn(units, seed) from cpu_work.hpp, run in slices with a check() between two slices, so a
  // drop request waits for at most a slice: a fiftieth of the interval, at least 1 us of work.
  // Same result as kitchen::burn(). Precondition: this thread holds the GIL; Cooking::step
  // relies on its executor holding it.
  //
  // take(), drop(), check() and burn() check their preconditions in every build
  // (kitchen/check.hpp): a thread that breaks one aborts, saying which.
  std::uint64_t burn(std::uint64_t units, std::uint64_t seed);

  // Hand-overs so far: times the GIL passed from one thread to a different one. A thread that
  // retakes the GIL it dropped last does not count.
  std::uint64_t switches() const { return switches_.load(std::memory_order_relaxed); }
  std::chrono::nanoseconds switch_interval() const { return interval_; }

  // For tests and assertions, from any thread.
  bool held_by_this_thread() const;
  // Threads blocked in take().
  int waiting() const { return waiting_.load(std::memory_order_relaxed); }
  // Whether a waiter has asked the holder to drop.
  bool drop_requested() const { return drop_request_.load(std::memory_order_relaxed); }

 private:
  // One thread blocked in take(), on its own stack: a node of the queue of waiters.
  struct Waiter;

  // Under mutex_: `to` becomes the holder.
  void become_holder(std::thread::id to);
  // Under mutex_: hands the GIL to `w` and wakes it.
  void grant(Waiter* w);

  const std::chrono::nanoseconds interval_;
  // burn() units between two checks.
  const std::uint64_t slice_units_;

  std::mutex mutex_;
  // The waiters, oldest first (under mutex_).
  Waiter* head_ = nullptr;
  Waiter* tail_ = nullptr;
  // The waiter whose drop request is pending, or null (under mutex_).
  Waiter* requester_ = nullptr;
  // The thread that held the GIL last, to count switches (under mutex_).
  std::thread::id last_holder_;
  // Written under mutex_; read without it by the holder and by the accessors.
  std::atomic<std::thread::id> holder_{};
  std::atomic<bool> drop_request_{false};
  std::atomic<std::uint64_t> switches_{0};
  std::atomic<int> waiting_{0};
};

// Holds the GIL for the scope: take() .. drop(). A null Gil means no GIL: the scope does nothing.
class GilHeld {
 public:
  explicit GilHeld(Gil* gil) : gil_(gil) {
    if (gil_) gil_->take();
  }
  ~GilHeld() {
    if (gil_) gil_->drop();
  }
  GilHeld(const GilHeld&) = delete;
  GilHeld& operator=(const GilHeld&) = delete;

 private:
  Gil* gil_;
};

// Gives the GIL up for the scope, around a blocking call: drop() .. take(). The thread must hold
// the GIL on entry. A null Gil means no GIL: the scope does nothing.
class GilReleased {
 public:
  explicit GilReleased(Gil* gil) : gil_(gil) {
    if (gil_) gil_->drop();
  }
  ~GilReleased() {
    if (gil_) gil_->take();
  }
  GilReleased(const GilReleased&) = delete;
  GilReleased& operator=(const GilReleased&) = delete;

 private:
  Gil* gil_;
};

}  // namespace kitchen
