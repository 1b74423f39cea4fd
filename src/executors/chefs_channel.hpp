// The chefs of a coroutine kitchen: a channel holding `chefs` tokens, each a
// chef id. Receiving one is waiting for a free chef; sending it back frees the
// chef. A channel of capacity N is Asio's idiom for a limit of N, the
// counterpart of asyncio.Semaphore(N).
#pragma once

#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/system/error_code.hpp>
#include <cstdint>

namespace kitchen {

// The chefs of a loop run by one thread: Asio may skip all locking.
using Chefs = boost::asio::experimental::channel<void(boost::system::error_code, std::uint32_t)>;
// The chefs of a loop run by several threads: Asio's concurrent_channel, which locks on every
// send and receive.
using SharedChefs =
    boost::asio::experimental::concurrent_channel<void(boost::system::error_code, std::uint32_t)>;

// The channel's locks an order takes (the receive of its chef and the send that frees it),
// counted as synchronisation (sync_ops.hpp): none on a plain channel.
template <class Channel>
inline constexpr std::uint64_t kLocksPerOrder = 0;
template <>
inline constexpr std::uint64_t kLocksPerOrder<SharedChefs> = 2;

// Puts every chef's token in the channel: all chefs start free.
template <class Channel>
void seat_chefs(Channel& chefs, std::uint32_t count) {
  for (std::uint32_t chef = 0; chef < count; ++chef) {
    chefs.try_send(boost::system::error_code{}, chef);
  }
}

// Gives a chef's token back. Until the chefs are dismissed it never fails:
// there are exactly as many tokens as places in the channel. Once they are,
// the token is simply dropped: no order will cook again.
template <class Channel>
void free_chef(Channel& chefs, std::uint32_t chef) {
  chefs.try_send(boost::system::error_code{}, chef);
}

// A fail-fast stop: every order waiting for a chef, and every order that asks
// for one later, gets none (its receive fails) and is cancelled.
// close(), not cancel(): in Asio 1.81, cancel() on a buffered channel whose
// receivers are waiting leaves it refusing every later send, so the chefs still
// cooking could never give their tokens back, and an order that asked for a
// chef after the stop waited for ever with the loop idle.
template <class Channel>
void dismiss_chefs(Channel& chefs) {
  chefs.close();
}

}  // namespace kitchen
