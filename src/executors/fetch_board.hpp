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
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>

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

}  // namespace kitchen
