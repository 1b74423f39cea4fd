// A chef's connection to the pantry server, for thread executors: a blocking TCP socket on
// 127.0.0.1 with TCP_NODELAY. A fetch is one send of the request and one receive of the whole
// reply (recv with MSG_WAITALL), waiting at most reply_timeout(): 10 times the delay plus 1 s
// (SO_RCVTIMEO, set again only when the delay changes).
//
//   // before the service starts
//   auto connections = pantry::open_connections(port, chefs);
//   // on the chef's thread
//   connections[chef].fetch(ingredient, cooking.next_wait());
//
// Every failure (refused, reset, closed, timed out, a wrong reply) throws a PantryError that
// names the connection and the cause; after one, the connection is out of step and every later
// fetch fails. One thread at a time per connection. Nothing is allocated per fetch.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pantry/errors.hpp"
#include "pantry/protocol.hpp"

namespace kitchen::pantry {

// What a connection sent and received, for the bytes_per_dish counter.
struct Traffic {
  std::uint64_t requests = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
  // Blocking connections only: the send() and recv() calls of the fetches. Asynchronous
  // connections leave it 0: Asio makes its own calls (or io_uring submissions), which only
  // strace sees.
  std::uint64_t socket_calls = 0;

  Traffic& operator+=(const Traffic& other);
};

// Owns a file descriptor: closes it when destroyed; moves leave -1 behind.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// A connected socket whose hello has been read.
struct OpenedSocket {
  UniqueFd fd;
  Hello hello;
};

// Connects to 127.0.0.1:`port` (waiting at most 5 s), sets TCP_NODELAY and reads the server's
// hello (within 5 s). Throws a PantryError whose message starts with `name`.
OpenedSocket open_socket(std::uint16_t port, const std::string& name);

class PantryConnection {
 public:
  // Connects synchronously; `number` names the connection in errors (the chef's id).
  PantryConnection(std::uint16_t port, std::uint32_t number);

  // One request and its reply: returns once the ingredient has arrived, `delay` after the
  // server read the request. Throws PantryError.
  void fetch(std::uint32_t ingredient, std::chrono::nanoseconds delay);

  // "pantry connection 3 to 127.0.0.1:40123"
  const std::string& name() const { return name_; }
  const Traffic& traffic() const { return traffic_; }
  std::uint32_t payload_bytes() const { return payload_bytes_; }
  bool usable() const { return fd_.get() >= 0 && !broken_; }
  void close() { fd_.reset(); }

  // The socket, for an event loop that borrows it for one service (AsyncPantryConnection's
  // adopting constructor); the connection keeps owning it.
  int native_handle() const { return fd_.get(); }
  // The borrower's fetch failed or was cancelled: the socket is out of step.
  void mark_unusable() { broken_ = true; }

 private:
  [[noreturn]] void fail(const boost::system::error_code& error);
  void set_timeout(std::uint32_t delay_us);
  void send_request();
  void receive_reply();

  UniqueFd fd_;
  std::string name_;
  std::uint32_t payload_bytes_ = 0;
  // The request in flight, and its frame.
  Request request_;
  Frame frame_{};
  // The reply's header and payload, read in one call.
  std::unique_ptr<std::byte[]> reply_;
  std::size_t reply_bytes_ = 0;
  // The delay SO_RCVTIMEO was last set for.
  std::int64_t timeout_for_us_ = -1;
  bool broken_ = false;
  Traffic traffic_;
};

// `count` connections numbered first, first + 1, ... (one per chef), opened one after another.
// Throws the first PantryError.
std::vector<PantryConnection> open_connections(std::uint16_t port, std::size_t count,
                                               std::uint32_t first = 0);

// Raises the soft limit on open files to the hard limit (a connection is a file on both sides);
// returns the limit now in force.
std::uint64_t raise_open_file_limit();

}  // namespace kitchen::pantry
