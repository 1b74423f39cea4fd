// The chefs of a coroutine kitchen: a channel holding `chefs` tokens, each a
// chef id. Receiving one is waiting for a free chef; sending it back frees the
// chef. A channel of capacity N is Asio's idiom for a limit of N, the
// counterpart of asyncio.Semaphore(N).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <optional>

#include "kitchen/gil.hpp"

namespace kitchen {

// Puts every chef's token in the channel: all chefs start free.
template <class Channel>
void seat_chefs(Channel& chefs, std::uint32_t count) {
  for (std::uint32_t chef = 0; chef < count; ++chef) {
    chefs.try_send(boost::system::error_code{}, chef);
  }
}

// Waits for a free chef, letting the GIL go meanwhile (a suspended coroutine
// holds nothing); nothing once the chefs are dismissed (dismiss_chefs).
template <class Channel>
boost::asio::awaitable<std::optional<std::uint32_t>> take_chef(Channel& chefs, Gil* gil) {
  boost::system::error_code error;
  const GilReleased waiting(gil);
  const std::uint32_t chef =
      co_await chefs.async_receive(boost::asio::redirect_error(boost::asio::use_awaitable, error));
  if (error) co_return std::nullopt;
  co_return chef;
}

// Gives a chef's token back. Until the chefs are dismissed it never fails:
// there are exactly as many tokens as places in the channel. Once they are,
// the token is simply dropped: no order will cook again.
template <class Channel>
void free_chef(Channel& chefs, std::uint32_t chef) {
  chefs.try_send(boost::system::error_code{}, chef);
}

// A fail-fast stop: every order waiting for a chef, and every order that asks
// for one later, gets none (take_chef returns nothing) and is cancelled.
// close(), not cancel(): in Asio 1.81, cancel() on a buffered channel whose
// receivers are waiting leaves it refusing every later send, so the chefs still
// cooking could never give their tokens back, and an order that asked for a
// chef after the stop waited for ever with the loop idle.
template <class Channel>
void dismiss_chefs(Channel& chefs) {
  chefs.close();
}

}  // namespace kitchen
