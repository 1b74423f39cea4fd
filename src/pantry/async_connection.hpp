// A chef's connection to the pantry server, for event-loop and coroutine executors: an Asio
// socket opened synchronously (before the service starts), then fetched from asynchronously.
// A fetch is an async_write of the request and an async_read of the whole reply, with a
// steady_timer that cancels the socket after reply_timeout() (10 times the delay plus 1 s).
//
//   auto connections = pantry::open_async_connections(loop.get_executor(), port, chefs);
//   // in a coroutine: throws PantryError
//   co_await pantry::fetch(connections[chef], ingredient, wait);
//   // or with any completion token, void(boost::system::error_code); on an error e,
//   // connections[chef].error(e) is the PantryError that names the connection and the cause
//   pantry::async_fetch(connections[chef], ingredient, wait, [this](error_code e) { ... });
//
// A fetch completes with operation_aborted after cancel(), Error::timed_out, Error::closed,
// the system's error (connection reset...) or Error::bad_reply; after any of them the
// connection is out of step and later fetches fail (Error::unusable). One fetch at a time per
// connection. A fetch's steps and its deadline run on the completion handler's executor (the
// coroutine's, or the socket's for a plain callback); on a loop run by several threads, give
// the handler a strand and call cancel() on it. A connection is not moved once it has fetched,
// and is destroyed only after its loop has run its handlers. Nothing is allocated per fetch
// (Asio recycles the handlers' memory).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "pantry/connection.hpp"
#include "pantry/errors.hpp"
#include "pantry/protocol.hpp"

namespace kitchen::pantry {

namespace detail {
struct FetchOp;
struct Deadline;
}  // namespace detail

class AsyncPantryConnection {
 public:
  using executor_type = boost::asio::any_io_executor;

  // Connects synchronously and reads the hello; `number` names the connection in errors.
  AsyncPantryConnection(const executor_type& executor, std::uint16_t port, std::uint32_t number);
  // Borrows a socket already connected and greeted (`hello` read), without connecting: an event
  // loop adopting a chef's connection for one service. The socket stays its owner's: release()
  // gives it back, in blocking mode, and the destructor does so if release() was not called.
  AsyncPantryConnection(const executor_type& executor, int connected_fd, const Hello& hello,
                        std::string name);
  ~AsyncPantryConnection();
  AsyncPantryConnection(AsyncPantryConnection&&) = default;
  AsyncPantryConnection& operator=(AsyncPantryConnection&&) = delete;

  // A borrowed socket: gives it back to its owner without closing it (cancelling what is
  // pending; call it with the loop stopped) and returns it; -1 if the socket is not borrowed.
  int release();

  executor_type get_executor() { return socket_.get_executor(); }
  // "pantry connection 3 to 127.0.0.1:40123"
  const std::string& name() const { return name_; }
  const Traffic& traffic() const { return traffic_; }
  std::uint32_t payload_bytes() const {
    return static_cast<std::uint32_t>(reply_.size() - kFrameBytes);
  }
  bool usable() const { return !broken_ && !cancelled_; }
  // A fetch is in progress.
  bool fetching() const { return in_progress_; }

  // The PantryError for the last fetch, which completed with `error`: names the connection,
  // the ingredient, the request and the cause.
  PantryError error(const boost::system::error_code& error) const;

  // Cancels the fetch in progress, which completes with operation_aborted, and every later one.
  // On the executor the fetch runs on.
  void cancel();

  boost::asio::ip::tcp::socket& socket() { return socket_; }

 private:
  friend struct detail::FetchOp;
  friend struct detail::Deadline;

  // Checks a fetch and starts its clock: an error if it must not start.
  boost::system::error_code begin(std::uint32_t ingredient, std::chrono::nanoseconds delay);
  void on_deadline(const boost::system::error_code& error, std::uint64_t generation);
  // Disarms the fetch; returns how it ended (timed out, closed, a wrong reply...).
  boost::system::error_code end(boost::system::error_code error, std::size_t sent,
                                std::size_t received);

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer deadline_;
  std::string name_;
  Request request_;
  Frame frame_{};
  std::vector<std::byte> reply_;
  Traffic traffic_;
  // Which fetch the deadline was armed for: a late deadline handler leaves the next one alone.
  std::uint64_t generation_ = 0;
  bool in_progress_ = false;
  bool timed_out_ = false;
  bool cancelled_ = false;
  bool broken_ = false;
  // The socket is borrowed (adopting constructor): never closed here.
  bool borrowed_ = false;
};

namespace detail {

// The timeout of one fetch: cancels the socket unless the fetch has ended. Two words: fits the
// memory Asio recycles for handlers.
struct Deadline {
  AsyncPantryConnection* c;
  std::uint64_t generation;

  void operator()(const boost::system::error_code& error) const {
    c->on_deadline(error, generation);
  }
};

// write the request, then read the reply: a composed operation, so it takes any token.
struct FetchOp {
  AsyncPantryConnection* c;
  std::uint32_t ingredient;
  std::chrono::nanoseconds delay;
  enum class State { start, refused, written, read } state = State::start;
  boost::system::error_code refusal{};
  std::size_t sent = 0;

  template <class Self>
  void operator()(Self& self, boost::system::error_code error = {}, std::size_t bytes = 0) {
    switch (state) {
      case State::start:
        refusal = c->begin(ingredient, delay);
        if (refusal) {
          state = State::refused;
          // Never complete inside the initiating call; complete where the handler runs.
          return boost::asio::post(self.get_executor(), std::move(self));
        }
        // The deadline runs where the fetch's own steps run (the caller's strand, say), so that
        // it never races them.
        c->deadline_.async_wait(
            boost::asio::bind_executor(self.get_executor(), Deadline{c, c->generation_}));
        state = State::written;
        return boost::asio::async_write(c->socket_, boost::asio::buffer(c->frame_),
                                        std::move(self));
      case State::refused:
        return self.complete(refusal);
      case State::written:
        sent = bytes;
        if (error) return self.complete(c->end(error, sent, 0));
        state = State::read;
        return boost::asio::async_read(c->socket_, boost::asio::buffer(c->reply_), std::move(self));
      case State::read:
        return self.complete(c->end(error, sent, bytes));
    }
  }
};

}  // namespace detail

// Fetches `ingredient`: one request and its reply on `connection`. The completion signature is
// void(boost::system::error_code).
template <boost::asio::completion_token_for<void(boost::system::error_code)> CompletionToken>
auto async_fetch(AsyncPantryConnection& connection, std::uint32_t ingredient,
                 std::chrono::nanoseconds delay, CompletionToken&& token) {
  return boost::asio::async_compose<CompletionToken, void(boost::system::error_code)>(
      detail::FetchOp{.c = &connection, .ingredient = ingredient, .delay = delay}, token,
      connection.socket());
}

// async_fetch for coroutines: throws the connection's PantryError on any failure.
boost::asio::awaitable<void> fetch(AsyncPantryConnection& connection, std::uint32_t ingredient,
                                   std::chrono::nanoseconds delay);

// `count` connections numbered first, first + 1, ... (one per chef), on `executor`, opened one
// after another. Throws the first PantryError.
std::vector<AsyncPantryConnection> open_async_connections(
    const AsyncPantryConnection::executor_type& executor, std::uint16_t port, std::size_t count,
    std::uint32_t first = 0);

}  // namespace kitchen::pantry
