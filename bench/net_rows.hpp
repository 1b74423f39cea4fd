// The net rows' side of the harness (--io=net): the pantry server, started once per process
// when a net row is registered and stopped at exit; each row's connections, one per chef,
// opened before the row's first service (outside the clocks) and kept for all its services;
// and the counters only net rows have.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "pantry/net_pantry.hpp"

namespace kitchen::bench {

// Starts the pantry server with replies of `payload_bytes` and measures its capacity; writes
// pantry_capacity_per_s and pantry_payload_bytes (or pantry_error) into the JSON context. If
// the server cannot start, every net row is an error row saying why.
// The capacity is measured with `connections` clients at once: as many as the largest row.
void start_pantry(std::uint32_t payload_bytes, std::uint32_t connections);
// Closes every connection, then stops the server.
void stop_pantry();

// Row `row`'s connections: those of the previous service of the same row, with the unusable
// ones reopened; opened anew (and the previous row's closed) on a row's first service. Throws
// pantry::PantryError saying why it cannot (no server, the server died, connect refused).
pantry::NetPantry& row_lines(int row, std::uint32_t chefs);

// A fetch's failure, with what became of the server if it is no longer running.
std::string net_failure(const std::string& fault);

// Why no kitchen row of this binary can run: io_uring refused in bench_kitchen_uring; nothing
// in bench_kitchen. Asked once.
const std::optional<std::string>& reactor_refusal();

// What the server and a row's connections have done so far.
struct NetReading {
  std::chrono::nanoseconds server_cpu{0};
  pantry::Traffic traffic;
};
NetReading read_net(const pantry::NetPantry& lines);

// server_cpu_util (the server's CPU time over the row's wall time), bytes_per_dish (sent and
// received over every connection) and, where the fetches were blocking, socket_calls_per_dish.
void report_net(benchmark::State& state, const NetReading& before, const NetReading& after,
                double wall_ns, double dishes);

}  // namespace kitchen::bench
