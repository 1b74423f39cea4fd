// Where a fail-fast service finds the fetches to cancel in a coroutine kitchen:
// one slot per order, holding the timer its coroutine is waiting on while it
// cooks. cancel_all() posts each cancellation to the timer's own executor (the
// loop, or the order's strand on a multi-threaded loop), so a timer is only
// ever touched from the context that owns it, and the slot is read again there,
// after the coroutine may have finished and cleared it.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

namespace kitchen {

class FetchBoard {
  struct Slot {
    boost::asio::any_io_executor executor;
    std::atomic<boost::asio::steady_timer*> fetch{nullptr};
  };

 public:
  explicit FetchBoard(std::size_t orders)
      : slots_(std::make_unique<Slot[]>(orders)), size_(orders) {}

  // Holds `order`'s slot while its coroutine cooks; clears it when the
  // coroutine is done.
  class Entry {
   public:
    Entry(FetchBoard& board, std::uint32_t order, boost::asio::steady_timer& fetch)
        : slot_(&board.slots_[order]) {
      // Written once, before the timer is published
      slot_->executor = fetch.get_executor();
      // Sequentially consistent: pairs with the stop flag's load
      slot_->fetch.store(&fetch);
    }
    ~Entry() { slot_->fetch.store(nullptr); }
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;

   private:
    Slot* slot_;
  };

  void cancel_all() {
    for (std::size_t i = 0; i < size_; ++i) {
      Slot& slot = slots_[i];
      if (slot.fetch.load() == nullptr) continue;
      boost::asio::post(slot.executor, [&slot] {
        if (boost::asio::steady_timer* fetch = slot.fetch.load()) fetch->cancel();
      });
    }
  }

 private:
  std::unique_ptr<Slot[]> slots_;
  std::size_t size_;
};

// One order's fetch timer in a coroutine kitchen. It is built on the first
// wait, so an order with nothing to wait for pays for no timer, and in a
// fail-fast service it goes on the board, so that a failure elsewhere can
// cancel it.
class FetchTimer {
 public:
  FetchTimer(boost::asio::any_io_executor executor, FetchBoard* board, std::uint32_t order)
      : executor_(std::move(executor)), board_(board), order_(order) {}
  FetchTimer(const FetchTimer&) = delete;
  FetchTimer& operator=(const FetchTimer&) = delete;

  // The wait for one ingredient, to co_await; then cancelled() says whether a
  // fail-fast failure cut it short.
  auto after(std::chrono::nanoseconds wait) {
    if (!timer_) {
      timer_.emplace(executor_);
      if (board_) entry_.emplace(*board_, order_, *timer_);
    }
    timer_->expires_after(wait);
    return timer_->async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, error_));
  }

  bool cancelled() const { return error_.failed(); }

 private:
  boost::asio::any_io_executor executor_;
  FetchBoard* board_;
  std::uint32_t order_;
  boost::system::error_code error_;
  std::optional<boost::asio::steady_timer> timer_;
  // Declared after the timer, so that it leaves the board before the timer goes.
  std::optional<FetchBoard::Entry> entry_;
};

}  // namespace kitchen
