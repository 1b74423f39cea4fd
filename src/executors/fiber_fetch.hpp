// How a fiber waits for an ingredient on real I/O without blocking its thread (on a timer it
// sleeps: sleep_on_fiber in fiber_kitchen.hpp): one request and its reply on its
// chef's connection, started on the event loop that the idle scheduler runs
// (fiber_scheduler.hpp), the fiber suspended until the completion handler resumes it.
#pragma once

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/fiber/context.hpp>
#include <boost/fiber/detail/spinlock.hpp>
#include <boost/fiber/operations.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <utility>

#include "kitchen/cooking.hpp"
#include "kitchen/gil.hpp"
#include "pantry/async_connection.hpp"

namespace kitchen::fiber {

// Where one fiber waits for one completion: the fiber calls wait(), the completion handler calls
// complete(), on any thread and in either order. It lives on the waiting fiber's stack: nothing is
// allocated. The spinlock is handed to the scheduler by suspend(), which lets it go only once the
// fiber has switched away, so a completion on another thread can never resume a fiber that has
// not finished suspending.
class Rendezvous {
 public:
  void complete(const boost::system::error_code& error) noexcept {
    boost::fibers::detail::spinlock_lock lock(spinlock_);
    error_ = error;
    done_ = true;
    boost::fibers::context* const waiter = std::exchange(waiter_, nullptr);
    lock.unlock();
    if (waiter != nullptr) boost::fibers::context::active()->schedule(waiter);
  }

  boost::system::error_code wait() noexcept {
    boost::fibers::detail::spinlock_lock lock(spinlock_);
    if (!done_) {
      waiter_ = boost::fibers::context::active();
      waiter_->suspend(lock);
    }
    return error_;
  }

 private:
  boost::fibers::detail::spinlock spinlock_;
  boost::fibers::context* waiter_ = nullptr;
  bool done_ = false;
  boost::system::error_code error_;
};

// One request for `cooking`'s next ingredient and its reply on `connection`, this fiber
// suspended meanwhile; throws the connection's PantryError on any failure. The fetch's steps and
// its deadline run on `where`: the loop itself when one thread runs it, a strand of the chef's
// when several threads may (the fetch is then started on the strand too, never beside its
// previous deadline's handler).
template <bool kStranded, class Where>
void fetch_on_fiber(pantry::AsyncPantryConnection& connection, const Cooking& cooking,
                    const Where& where, Gil* gil) {
  const GilReleased fetching(gil);
  Rendezvous met;
  auto start = [&connection, &cooking, &met, &where] {
    pantry::async_fetch(
        connection, cooking.next_ingredient(), cooking.next_wait(),
        boost::asio::bind_executor(
            where, [&met](const boost::system::error_code& error) { met.complete(error); }));
  };
  if constexpr (kStranded) {
    boost::asio::post(where, start);
  } else {
    start();
  }
  if (const boost::system::error_code error = met.wait()) throw connection.error(error);
}

}  // namespace kitchen::fiber
