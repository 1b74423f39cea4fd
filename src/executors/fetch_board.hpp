// How a coroutine kitchen waits for an ingredient (LoopFetch: a steady_timer, or on real I/O a
// request and its reply on the chef's borrowed connection), and where a fail-fast service finds
// the fetches to cancel (FetchBoard): one slot per order, holding what its coroutine is waiting
// on while it cooks. cancel_all() posts each cancellation to the executor the fetch runs on (the
// loop, or the order's strand on a multi-threaded loop), so a timer or a connection is only ever
// touched from the context that owns it, and the slot is read again there, after the coroutine
// may have finished and cleared it.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "kitchen/cooking.hpp"
#include "kitchen/service.hpp"
#include "pantry/async_connection.hpp"
#include "pantry/net_pantry.hpp"

namespace kitchen {

class FetchBoard {
  struct Slot {
    boost::asio::any_io_executor executor;
    // How to cancel what `fetch` points to: set once per order, no virtual call.
    void (*cancel)(void*) = nullptr;
    std::atomic<void*> fetch{nullptr};
  };

 public:
  explicit FetchBoard(std::size_t orders)
      : slots_(std::make_unique<Slot[]>(orders)), size_(orders) {}

  // Holds `order`'s slot while its coroutine cooks; clears it when the coroutine is done.
  // `fetch` (a timer or a connection) has a cancel() that runs on `where`.
  class Entry {
   public:
    template <class Cancellable>
    Entry(FetchBoard& board, std::uint32_t order, const boost::asio::any_io_executor& where,
          Cancellable& fetch)
        : slot_(&board.slots_[order]) {
      // Written once, before the fetch is published
      slot_->executor = where;
      slot_->cancel = [](void* f) { static_cast<Cancellable*>(f)->cancel(); };
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
        if (void* fetch = slot.fetch.load()) slot.cancel(fetch);
      });
    }
  }

 private:
  std::unique_ptr<Slot[]> slots_;
  std::size_t size_;
};

// The chefs' connections of one event-loop service on real I/O: each borrowed from the row's
// NetPantry the first time its chef fetches (no connect(): the loop adopts the open socket, so
// chefs that never cook cost nothing), and all given back when the kitchen closes. Declared
// after the loop and destroyed before it, once it has stopped. Empty without real I/O.
class LoopLines {
 public:
  LoopLines(const Service& service, const boost::asio::any_io_executor& loop)
      : net_(service.net), loop_(loop) {
    // Sized once: a chef's slot never moves (a loop run by several threads borrows into
    // different slots at once).
    if (net_) lines_ = std::vector<std::optional<pantry::AsyncPantryConnection>>(net_->chefs());
  }
  ~LoopLines() {
    for (std::uint32_t chef = 0; chef < lines_.size(); ++chef) {
      if (lines_[chef]) net_->give_back(chef, *lines_[chef]);
    }
  }
  LoopLines(const LoopLines&) = delete;
  LoopLines& operator=(const LoopLines&) = delete;

  // Chef `chef`'s connection, borrowed now if it was not yet; null without real I/O.
  pantry::AsyncPantryConnection* of(std::uint32_t chef) {
    if (!net_) return nullptr;
    if (!lines_[chef]) lines_[chef].emplace(net_->borrow(loop_, chef));
    return &*lines_[chef];
  }
  // A fetch on `line` failed with `error`: the row's error names the connection and the cause.
  void fault(const pantry::AsyncPantryConnection& line, const boost::system::error_code& error) {
    net_->fault(line.error(error).what());
  }

 private:
  pantry::NetPantry* net_;
  boost::asio::any_io_executor loop_;
  std::vector<std::optional<pantry::AsyncPantryConnection>> lines_;
};

// One order's fetches in a coroutine kitchen. With timers, the timer is built on the first
// wait, so an order with nothing to wait for pays for no timer, and a wait of 0 is skipped. On
// real I/O, each fetch is one request and its reply on `line`, the connection of the order's
// chef, even with a delay of 0. In a fail-fast service the timer or the connection goes on the
// board, so that a failure elsewhere can cancel it.
class LoopFetch {
 public:
  LoopFetch(boost::asio::any_io_executor executor, FetchBoard* board, std::uint32_t order,
            LoopLines& lines, std::uint32_t chef)
      : executor_(std::move(executor)),
        board_(board),
        order_(order),
        lines_(&lines),
        line_(lines.of(chef)) {}
  LoopFetch(const LoopFetch&) = delete;
  LoopFetch& operator=(const LoopFetch&) = delete;

  // Whether `cooking`'s next ingredient is fetched at all.
  bool needed(const Cooking& cooking) const {
    return line_ != nullptr || cooking.next_wait().count() > 0;
  }

  // The fetch of `cooking`'s next ingredient, to co_await; then arrived() says whether it came.
  boost::asio::awaitable<void> next(const Cooking& cooking) {
    using boost::asio::redirect_error;
    using boost::asio::use_awaitable;
    if (line_) {
      if (board_ && !entry_) entry_.emplace(*board_, order_, executor_, *line_);
      return pantry::async_fetch(*line_, cooking.next_ingredient(), cooking.next_wait(),
                                 redirect_error(use_awaitable, error_));
    }
    if (!timer_) {
      timer_.emplace(executor_);
      if (board_) entry_.emplace(*board_, order_, executor_, *timer_);
    }
    timer_->expires_after(cooking.next_wait());
    return timer_->async_wait(redirect_error(use_awaitable, error_));
  }

  // The ingredient came. If not, the fetch was cancelled by a fail-fast failure elsewhere, or
  // it failed: then broke() is true and the failure is reported to the row's NetPantry.
  bool arrived() {
    if (!error_) return true;
    if (line_ && error_ != boost::asio::error::operation_aborted) {
      broke_ = true;
      lines_->fault(*line_, error_);
    }
    return false;
  }
  bool broke() const { return broke_; }

 private:
  boost::asio::any_io_executor executor_;
  FetchBoard* board_;
  std::uint32_t order_;
  LoopLines* lines_;
  pantry::AsyncPantryConnection* line_;
  boost::system::error_code error_;
  bool broke_ = false;
  std::optional<boost::asio::steady_timer> timer_;
  // Declared after the timer, so that it leaves the board before the timer goes.
  std::optional<FetchBoard::Entry> entry_;
};

}  // namespace kitchen
