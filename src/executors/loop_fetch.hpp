// How the coroutine of one order in an event-loop kitchen waits for its ingredients (LoopFetch).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdint>
#include <optional>

#include "executors/fetch_board.hpp"
#include "executors/loop_connections.hpp"
#include "kitchen/cooking.hpp"
#include "pantry/async_connection.hpp"

namespace kitchen {

// One order's fetches in a coroutine kitchen. With timers, the timer is built on the first
// wait, so an order with nothing to wait for pays for no timer, and a wait of 0 is skipped. On
// real I/O, each fetch is one request and its reply on the connection of the order's
// chef, even with a delay of 0. In a fail-fast service the timer or the connection goes on the
// board, so that a failure elsewhere can cancel it.
class LoopFetch {
 public:
  LoopFetch(FetchBoard* board, std::uint32_t order, LoopConnections& connections,
            std::uint32_t chef)
      : board_(board),
        order_(order),
        connections_(&connections),
        connection_(connections.of(chef)) {}
  LoopFetch(const LoopFetch&) = delete;
  LoopFetch& operator=(const LoopFetch&) = delete;

  // Whether `cooking`'s next ingredient is fetched at all.
  bool needed(const Cooking& cooking) const {
    return connection_ != nullptr || cooking.next_wait().count() > 0;
  }

  // The executor the order's coroutine runs on, where its timer and its cancellation go: given
  // before the first fetch (placed() then holds), so that an order that fetches nothing never
  // copies it.
  bool placed() const { return placed_; }
  void place(boost::asio::any_io_executor executor) {
    executor_ = std::move(executor);
    placed_ = true;
  }

  // The fetch of `cooking`'s next ingredient, to co_await; then arrived() says whether it came.
  boost::asio::awaitable<void> next(const Cooking& cooking) {
    using boost::asio::redirect_error;
    using boost::asio::use_awaitable;
    if (connection_) {
      if (board_ && !entry_) entry_.emplace(*board_, order_, executor_, *connection_);
      return pantry::async_fetch(*connection_, cooking.next_ingredient(), cooking.next_wait(),
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
  // it failed: then broke() is true and the failure is reported as the row's fault.
  bool arrived() {
    if (!error_) return true;
    if (connection_ && error_ != boost::asio::error::operation_aborted) {
      broke_ = true;
      connections_->fault(*connection_, error_);
    }
    return false;
  }
  bool broke() const { return broke_; }

 private:
  FetchBoard* board_;
  std::uint32_t order_;
  LoopConnections* connections_;
  pantry::AsyncPantryConnection* connection_;
  boost::asio::any_io_executor executor_;
  boost::system::error_code error_;
  bool broke_ = false;
  bool placed_ = false;
  std::optional<boost::asio::steady_timer> timer_;
  // Declared after the timer, so that it leaves the board before the timer goes.
  std::optional<FetchBoard::Entry> entry_;
};

}  // namespace kitchen
