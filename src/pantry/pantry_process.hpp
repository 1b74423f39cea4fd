// The pantry server as a child of the bench: started with posix_spawn, found beside the running
// executable, with a pipe on its stdin that only this process holds (closing it, or this process
// dying, stops the server) and a pipe on its stdout to read its port from.
//
//   // throws PantryError saying why it cannot start
//   PantryProcess server;
//   open_connections(server.port(), chefs) ...
//   // around each row: server_cpu_util
//   server.alive(); server.cpu_time();
//   // or the destructor: close stdin, wait, then SIGKILL
//   server.stop();
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "pantry/protocol.hpp"

namespace kitchen::pantry {

struct PantryOptions {
  std::uint32_t payload_bytes = pantry::kDefaultPayloadBytes;
  // The program to start; empty: pantry_server in the folder of /proc/self/exe.
  std::string program;
  // Where the server's stderr goes; -1: this process's stderr.
  int stderr_fd = -1;
  // How long the server may take to print its port.
  std::chrono::milliseconds start_timeout{5000};
};

class PantryProcess {
 public:
  // Starts the server and reads its port; throws pantry::PantryError saying why it cannot
  // (no such program, it exited first, no port within the timeout).
  explicit PantryProcess(const PantryOptions& options = {});
  // stop()
  ~PantryProcess();
  PantryProcess(const PantryProcess&) = delete;
  PantryProcess& operator=(const PantryProcess&) = delete;

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& program() const { return program_; }

  // Whether it is still running (waitpid with WNOHANG; reaps it when it has ended).
  bool alive();
  // How it ended ("exited with status 0", "killed by signal 9"); empty while it runs.
  const std::string& ended() const { return ended_; }

  // Its CPU time so far, user + system: from /proc/<pid>/task/*/schedstat (nanoseconds) when the
  // kernel keeps it, else /proc/<pid>/stat's utime + stime (clock ticks); once it has ended,
  // from its rusage.
  std::chrono::nanoseconds cpu_time();

  // Waits up to `timeout` for it to end (on a pidfd, woken by its exit) and reaps it; returns
  // whether it has ended. Its stdin is left open: this waits for an end that has another cause
  // (kill(), a crash).
  bool wait_for_exit(std::chrono::milliseconds timeout);

  // Closes its stdin, waits up to `grace` for it to exit, then kills it (SIGKILL); returns how
  // it ended. Does nothing more once it has ended.
  std::string stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

  // SIGKILL, stdin left open: a server dying under a service, for tests. Reaped by alive() or
  // stop().
  void kill();

 private:
  void reaped(int status, std::chrono::nanoseconds cpu);

  std::string program_;
  pid_t pid_ = -1;
  // The write end of the server's stdin.
  int stdin_ = -1;
  std::uint16_t port_ = 0;
  std::string ended_;
  std::chrono::nanoseconds final_cpu_{0};
};

// The server's capacity, measured by `connections` blocking clients at once, each on its own
// connection and thread, delay 0, `requests` request/reply round trips in all, each client's
// one after another (after 100 unmeasured ones each). One client measures a round trip, not
// what the server can serve: a probe uses as many connections as the rows it stands for.
struct Capacity {
  std::uint64_t requests = 0;
  std::uint32_t connections = 1;
  double seconds = 0;
  double requests_per_s = 0;
  // The server's CPU time over them.
  std::chrono::nanoseconds server_cpu{0};
};

// Throws pantry::PantryError when a request fails; when the server has died meanwhile, the error
// says so, and how it ended ("; the pantry server has died (killed by signal 9)").
Capacity measure_capacity(PantryProcess& server, std::uint64_t requests = 20'000,
                          std::uint32_t connections = 1);

}  // namespace kitchen::pantry
