// The fiber scheduler of fibers_mt, and of fibers on real I/O: one algorithm per thread
// (SharedLoop) over one queue of ready fibers that all the service's threads share (FiberPool),
// so that a fiber that becomes ready runs on whichever thread is free: work sharing, like
// Boost's shared_work, but with what this suite needs of it:
//
//  - Idle threads sleep, never spin: a thread with nothing to run waits on its own condition
//    variable (or in the event loop, below) until it is woken or its next sleeping fiber is due.
//    A fiber made ready wakes one idle thread, so that work queued while a thread sleeps does
//    not wait for the next timeout (Boost's shared_work wakes nobody).
//  - Real I/O goes through the scheduler: given an io_context, an idle thread runs it (one
//    thread at a time, the leader), so the thread waits in epoll_wait or io_uring_enter and a
//    completion handler resumes the fiber that waits for it (fiber_fetch.hpp). The loop runs
//    only when a thread has no fiber to run: each ready fiber runs to its next wait first, much
//    as Asio's own scheduler runs its reactor once per pass over its queue of handlers. Never
//    from pick_next(): a fiber that suspends holds its rendezvous' spinlock until the switch is
//    done, and a completion handler run there would take that lock on the same thread.
//  - The state is the service's own (FiberPool), not a static shared by every scheduler of the
//    process, and the ready queue is Boost.Fiber's intrusive list: no allocation per switch.
//
// The algorithm is Boost.Fiber's virtual interface: one indirect call per scheduling decision,
// which is part of what a fiber row measures.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/fiber/algo/algorithm.hpp>
#include <boost/fiber/condition_variable.hpp>
#include <boost/fiber/context.hpp>
#include <boost/fiber/mutex.hpp>
#include <boost/fiber/scheduler.hpp>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace kitchen::fiber {

class FiberPool;

class SharedLoop final : public boost::fibers::algo::algorithm {
 public:
  explicit SharedLoop(FiberPool& pool);

  void awakened(boost::fibers::context* ctx) noexcept override;
  boost::fibers::context* pick_next() noexcept override;
  bool has_ready_fibers() const noexcept override;
  void suspend_until(std::chrono::steady_clock::time_point const& when) noexcept override;
  void notify() noexcept override;

 private:
  friend class FiberPool;
  // Ends this thread's sleep, in the loop or on its condition variable. Any thread.
  void wake() noexcept;
  // Whether this thread was woken since it last looked, and forgets it.
  bool take_woken() noexcept;
  // Idle, as the loop's leader: runs the loop until one handler has run, or until `when`.
  void lead_loop_until(std::chrono::steady_clock::time_point when) noexcept;

  FiberPool& pool_;
  // This thread's own fibers that may not move (its main fiber and its dispatcher).
  boost::fibers::scheduler::ready_queue_type pinned_;
  std::mutex sleep_mutex_;
  std::condition_variable sleeping_;
  bool woken_ = false;
  // This thread is the one running the event loop now: wake() must post to the loop.
  std::atomic<bool> leading_{false};
  std::optional<boost::asio::steady_timer> alarm_;
  // The deadline alarm_ was last armed for.
  std::chrono::steady_clock::time_point armed_{};
};

// What the schedulers of one service share: the queue of ready fibers, who is idle, the event
// loop of real I/O (or none) and the end of the service. Outlives every thread that joins it.
class FiberPool {
 public:
  // `threads`: how many threads will join; `loop`: the io_context of real I/O, or null.
  FiberPool(unsigned threads, boost::asio::io_context* loop);
  FiberPool(const FiberPool&) = delete;
  FiberPool& operator=(const FiberPool&) = delete;

  // Makes this thread's fiber scheduler one of the pool's. Before it launches or runs a fiber.
  void join_this_thread();
  // A helper thread's whole life once it has joined: runs fibers until close(), then waits, its
  // scheduler kept, until close() has returned.
  void serve_until_closed();
  // The service is over: the helpers' serve_until_closed() returns. Once.
  void close();
  // Hands this thread back to a scheduler of its own (Boost's round_robin), so that nothing
  // of the pool stays referenced once the service is over. The thread that served last.
  static void leave_this_thread();

 private:
  friend class SharedLoop;
  std::mutex mutex_;
  // Ready fibers, detached from any thread; guarded by mutex_.
  boost::fibers::scheduler::ready_queue_type ready_;
  // Threads asleep with nothing to run, to wake when a fiber becomes ready; guarded by mutex_.
  std::vector<SharedLoop*> idle_;
  boost::asio::io_context* loop_;
  // Keeps run_one() waiting, not returning, when the loop has nothing pending.
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> busy_;
  // Held by the one idle thread that runs the loop.
  std::mutex leader_;
  boost::fibers::mutex close_mutex_;
  boost::fibers::condition_variable closed_cv_;
  bool closed_ = false;
  // Set once close() has notified every helper: until then a helper's scheduler must live.
  std::mutex release_mutex_;
  std::condition_variable released_cv_;
  bool released_ = false;
};

// This thread serves in `pool` while the object lives. At its end, on the way out of an
// exception too: the pool is closed, `join_helpers()` waits for the helper threads, and only then
// does this thread take a scheduler of its own back. In that order because Boost.Fiber resumes a
// fiber of another thread by queueing it there and then notifying that thread's algorithm,
// outside any lock: a helper may still be notifying this thread's algorithm until it has left,
// and this thread is notifying the helpers' until close() returns.
template <class JoinHelpers>
class ServingThread {
 public:
  ServingThread(FiberPool& pool, JoinHelpers join_helpers)
      : pool_(pool), join_helpers_(std::move(join_helpers)) {
    pool_.join_this_thread();
  }
  ~ServingThread() {
    pool_.close();
    join_helpers_();
    FiberPool::leave_this_thread();
  }
  ServingThread(const ServingThread&) = delete;
  ServingThread& operator=(const ServingThread&) = delete;

 private:
  FiberPool& pool_;
  JoinHelpers join_helpers_;
};

}  // namespace kitchen::fiber
