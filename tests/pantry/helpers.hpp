// What the pantry tests share: a server started per test, raw sockets for what a well-behaved
// client never sends, a port nobody listens on, and a server that never answers.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "pantry/connection.hpp"
#include "pantry/pantry_process.hpp"
#include "pantry/protocol.hpp"

namespace kitchen::testing {

// A pantry_server whose stderr goes to a file the test reads.
class LoggedServer {
 public:
  explicit LoggedServer(std::uint32_t payload_bytes = pantry::kDefaultPayloadBytes);
  ~LoggedServer();
  pantry::PantryProcess& process() { return *process_; }
  std::uint16_t port() const { return process_->port(); }
  // Stops the server (so that everything it logged is written) and returns its stderr.
  std::string stop_and_read_log();

 private:
  std::string log_path_;
  int log_fd_ = -1;
  std::unique_ptr<pantry::PantryProcess> process_;
};

// A blocking socket connected to 127.0.0.1:port; reads wait at most 60 s (so that a broken
// test fails instead of hanging; never a bound on how fast anything is).
pantry::UniqueFd connect_raw(std::uint16_t port);
void send_all(int fd, const void* data, std::size_t size);
// Reads exactly `size` bytes; false on EOF or error first.
bool receive_exact(int fd, void* data, std::size_t size);
pantry::Hello read_hello(int fd);

// A request frame, valid unless the test spoils it.
pantry::Frame request_frame(std::uint32_t ingredient, std::uint32_t delay_us, std::uint64_t id);

// A socket bound to 127.0.0.1 but not listening: connecting to its port is refused.
class ClosedPort {
 public:
  ClosedPort();
  std::uint16_t port() const { return port_; }

 private:
  pantry::UniqueFd fd_;
  std::uint16_t port_ = 0;
};

// Accepts one connection, says hello, then reads and never answers.
class SilentServer {
 public:
  SilentServer();
  ~SilentServer();
  std::uint16_t port() const { return port_; }

 private:
  pantry::UniqueFd listener_;
  std::atomic<int> accepted_{-1};
  std::uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace kitchen::testing
