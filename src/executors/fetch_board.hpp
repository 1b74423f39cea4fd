// Where a fail-fast event-loop service finds the fetches to cancel: one slot per order, holding
// what its coroutine is waiting on (a timer or a connection, loop_fetch.hpp) while it cooks.
// cancel_all() posts each cancellation to the executor the fetch runs on (the
// loop, or the order's strand on a multi-threaded loop), so a timer or a connection is only ever
// touched from the context that owns it, and the slot is read again there, after the coroutine
// may have finished and cleared it.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <cstdint>
#include <memory>

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

}  // namespace kitchen
