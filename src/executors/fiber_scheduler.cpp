#include "executors/fiber_scheduler.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/fiber/algo/round_robin.hpp>
#include <boost/fiber/operations.hpp>
#include <utility>

namespace kitchen::fiber {

namespace fibers = boost::fibers;

SharedLoop::SharedLoop(FiberPool& pool) : pool_(pool) {
  if (pool_.loop_) alarm_.emplace(*pool_.loop_);
}

void SharedLoop::awakened(fibers::context* ctx) noexcept {
  if (ctx->is_context(fibers::type::pinned_context)) {
    ctx->ready_link(pinned_);
    return;
  }
  // Any thread may run it now.
  ctx->detach();
  const std::lock_guard lock(pool_.mutex_);
  ctx->ready_link(pool_.ready_);
  if (pool_.idle_.empty()) return;
  SharedLoop* const sleeper = pool_.idle_.back();
  pool_.idle_.pop_back();
  // Woken under the pool's lock: a thread listed idle is inside suspend_until(), which it
  // leaves only through this lock, so its scheduler cannot be gone (a thread that leaves the
  // pool destroys it) before wake() returns.
  if (sleeper != this) sleeper->wake();
}

fibers::context* SharedLoop::pick_next() noexcept {
  fibers::context* ctx = nullptr;
  {
    const std::lock_guard lock(pool_.mutex_);
    if (!pool_.ready_.empty()) {
      ctx = &pool_.ready_.front();
      pool_.ready_.pop_front();
    }
  }
  if (ctx != nullptr) {
    fibers::context::active()->attach(ctx);
    return ctx;
  }
  if (pinned_.empty()) return nullptr;
  ctx = &pinned_.front();
  pinned_.pop_front();
  return ctx;
}

bool SharedLoop::has_ready_fibers() const noexcept {
  if (!pinned_.empty()) return true;
  const std::lock_guard lock(pool_.mutex_);
  return !pool_.ready_.empty();
}

void SharedLoop::suspend_until(std::chrono::steady_clock::time_point const& when) noexcept {
  {
    const std::lock_guard lock(pool_.mutex_);
    if (!pool_.ready_.empty()) return;
    pool_.idle_.push_back(this);
  }
  if (pool_.loop_ != nullptr && pool_.leader_.try_lock()) {
    lead_loop_until(when);
    pool_.leader_.unlock();
  } else {
    std::unique_lock lock(sleep_mutex_);
    if (when == std::chrono::steady_clock::time_point::max()) {
      sleeping_.wait(lock, [this] { return woken_; });
    } else {
      sleeping_.wait_until(lock, when, [this] { return woken_; });
    }
    woken_ = false;
  }
  const std::lock_guard lock(pool_.mutex_);
  const auto me = std::find(pool_.idle_.begin(), pool_.idle_.end(), this);
  if (me != pool_.idle_.end()) pool_.idle_.erase(me);
}

void SharedLoop::notify() noexcept { wake(); }

void SharedLoop::wake() noexcept {
  {
    const std::lock_guard lock(sleep_mutex_);
    woken_ = true;
  }
  sleeping_.notify_one();
  // Sequentially consistent with lead_loop_until()'s store: either the leader sees woken_, or
  // this sees that it leads and interrupts its run_one() with a handler that does nothing.
  if (leading_.load()) boost::asio::post(*pool_.loop_, [] {});
}

bool SharedLoop::take_woken() noexcept {
  const std::lock_guard lock(sleep_mutex_);
  return std::exchange(woken_, false);
}

void SharedLoop::lead_loop_until(std::chrono::steady_clock::time_point when) noexcept {
  leading_.store(true);
  const bool sleeper = when != std::chrono::steady_clock::time_point::max();
  if (!take_woken() && !(sleeper && when <= std::chrono::steady_clock::now())) {
    // The loop's own timer (a timerfd under epoll), so that a sleeping fiber's time is kept
    // as precisely as a steady_timer's, not to the millisecond of epoll_wait's timeout. Armed
    // only when the deadline changes: re-arming cancels the wait in flight, whose handler would
    // end the next run_one() at once, and the thread would spin until the deadline.
    if (sleeper && when != armed_) {
      armed_ = when;
      alarm_->expires_at(when);
      alarm_->async_wait([](const boost::system::error_code&) {});
    }
    pool_.loop_->run_one();
  }
  leading_.store(false);
}

FiberPool::FiberPool(unsigned threads, boost::asio::io_context* loop) : loop_(loop) {
  idle_.reserve(threads);
  if (loop_ != nullptr) busy_.emplace(loop_->get_executor());
}

void FiberPool::join_this_thread() { fibers::use_scheduling_algorithm<SharedLoop>(*this); }

void FiberPool::serve_until_closed() {
  {
    std::unique_lock lock(close_mutex_);
    closed_cv_.wait(lock, [this] { return closed_; });
  }
  std::unique_lock lock(release_mutex_);
  released_cv_.wait(lock, [this] { return released_; });
}

void FiberPool::close() {
  {
    const std::lock_guard lock(close_mutex_);
    if (closed_) return;
    closed_ = true;
  }
  closed_cv_.notify_all();
  {
    const std::lock_guard lock(release_mutex_);
    released_ = true;
  }
  released_cv_.notify_all();
}

void FiberPool::leave_this_thread() {
  fibers::use_scheduling_algorithm<fibers::algo::round_robin>();
}

}  // namespace kitchen::fiber
