// The net rows' side of the harness (--io=net): the pantry server, which main starts when a net
// row is planned and owns until it returns; each net row's connections, one per chef, which the
// row owns, opened before its first service (outside the clocks) and kept for its others; and
// the counters only net rows have.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "pantry/net_pantry.hpp"
#include "pantry/pantry_process.hpp"

namespace kitchen::bench {

class RowConnections;

// What the server and a row's connections have done so far.
struct NetReading {
  std::chrono::nanoseconds server_cpu{0};
  pantry::Traffic traffic;
};

// The pantry server of one run of bench_kitchen.
class PantryHost {
 public:
  PantryHost() = default;
  PantryHost(const PantryHost&) = delete;
  PantryHost& operator=(const PantryHost&) = delete;
  // Closes the open row's connections, then stops the server.
  ~PantryHost();

  // Starts the server with replies of `payload_bytes` and measures its capacity with
  // `connections` clients at once (as many as the largest row has chefs); writes
  // pantry_capacity_per_s and pantry_payload_bytes (or pantry_error) into the JSON context. If
  // the server cannot start, every net row is an error row saying why.
  void start(std::uint32_t payload_bytes, std::uint32_t connections);
  void stop();

  // A fetch's failure, with what became of the server if it is no longer running.
  std::string net_failure(const std::string& fault) const;
  NetReading read(const pantry::NetPantry& connections) const;

 private:
  friend class RowConnections;
  // Why net rows cannot run now, or "".
  std::string unavailable() const;

  std::unique_ptr<pantry::PantryProcess> server_;
  // Why the server could not start.
  std::string refusal_;
  // The row whose connections are open: at most one row's are, so that a sweep's rows never
  // add up past the open-file limit.
  RowConnections* open_ = nullptr;
};

// One net row's connections, one per chef. The row's registered function owns it; every row
// must be gone before its host (main clears the registered rows first).
class RowConnections {
 public:
  RowConnections(PantryHost& host, std::uint32_t chefs) : host_(host), chefs_(chefs) {}
  RowConnections(const RowConnections&) = delete;
  RowConnections& operator=(const RowConnections&) = delete;
  ~RowConnections();

  // Those of the row's previous service with the unusable ones reopened, or opened anew (and the
  // previous row's closed) if another row's were opened since. Throws pantry::PantryError saying
  // why it cannot (no server, the server died, connect refused, too few open files).
  pantry::NetPantry& open();
  void close();
  const PantryHost& host() const { return host_; }

 private:
  PantryHost& host_;
  std::uint32_t chefs_;
  std::unique_ptr<pantry::NetPantry> connections_;
};

// Why no kitchen row of this binary can run: io_uring refused in bench_kitchen_uring; nothing
// in bench_kitchen.
std::optional<std::string> reactor_refusal();

// server_cpu_util (the server's CPU time over the row's wall time), bytes_per_dish (sent and
// received over every connection) and, where the fetches were blocking, socket_calls_per_dish.
void report_net(benchmark::State& state, const NetReading& before, const NetReading& after,
                double wall_ns, double dishes);

}  // namespace kitchen::bench
