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

// Gives a chef's token back. Never fails: there are exactly as many tokens as
// places in the channel.
template <class Channel>
void free_chef(Channel& chefs, std::uint32_t chef) {
  chefs.try_send(boost::system::error_code{}, chef);
}

}  // namespace kitchen
