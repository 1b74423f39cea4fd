#include "net_rows.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>

#include "os/limits.hpp"
#include "pantry/uring_probe.hpp"

namespace kitchen::bench {
namespace {

// Descriptors a process needs beyond a row's connections: its own files, pipes and event
// loops (epoll, eventfd, timerfd, io_uring), and the server's listening socket.
constexpr std::int64_t kFileMargin = 32;

// A row of `chefs` connections holds that many sockets here and as many in the pantry server,
// which inherits this process's limit. Past the limit, connect() or the server's accept()
// fails, and the row would end seconds later in timeouts that do not say why: it is refused
// first, naming the limit, as a thread budget is.
void check_file_budget(std::uint32_t chefs) {
  const os::FileBudget budget = os::file_budget();
  if (budget.limit < 0) return;
  const std::int64_t open = std::max<std::int64_t>(budget.open, 0);
  const std::int64_t needed = open + chefs + kFileMargin;
  if (needed <= budget.limit) return;
  const std::string need = std::to_string(needed);
  throw pantry::PantryError(
      "a net row of " + std::to_string(chefs) + " chefs needs about " + need +
      " open files (a connection per chef, in this process and in the pantry server, besides " +
      std::to_string(open) + " open now and " + std::to_string(kFileMargin) +
      " to spare), but the limit is " + std::to_string(budget.limit) +
      " (RLIMIT_NOFILE, raised to its hard limit): raise it with ulimit -n " + need + " or more");
}

}  // namespace

PantryHost::~PantryHost() { stop(); }

void PantryHost::start(std::uint32_t payload_bytes, std::uint32_t connections) {
  if (server_ || !refusal_.empty()) return;
  pantry::raise_open_file_limit();
  benchmark::AddCustomContext("pantry_payload_bytes", std::to_string(payload_bytes));
  try {
    pantry::PantryOptions options;
    options.payload_bytes = payload_bytes;
    server_ = std::make_unique<pantry::PantryProcess>(options);
    check_file_budget(connections);
    const pantry::Capacity capacity = pantry::measure_capacity(*server_, 20'000, connections);
    char text[32];
    std::snprintf(text, sizeof text, "%.0f", capacity.requests_per_s);
    benchmark::AddCustomContext("pantry_capacity_per_s", text);
    benchmark::AddCustomContext("pantry_capacity_connections", std::to_string(connections));
    std::fprintf(stderr,
                 "bench_kitchen: pantry server on 127.0.0.1:%u, %s requests/s at most over %u "
                 "connections\n",
                 server_->port(), text, connections);
  } catch (const std::exception& e) {
    // A server that dies during the capacity probe: the error says so (measure_capacity).
    refusal_ = std::string("the pantry server cannot be used: ") + e.what();
    server_.reset();
    benchmark::AddCustomContext("pantry_error", refusal_);
    std::fprintf(stderr, "bench_kitchen: %s; every net row is an error row\n", refusal_.c_str());
  }
}

void PantryHost::stop() {
  if (open_) open_->close();
  if (server_) server_->stop();
}

std::string PantryHost::unavailable() const {
  if (!server_) return refusal_.empty() ? "the pantry server was not started" : refusal_;
  if (!server_->alive()) return "the pantry server has died (" + server_->ended() + ")";
  return "";
}

std::string PantryHost::net_failure(const std::string& fault) const {
  // A killed server's sockets close while it exits, a moment before waitpid sees it: it is given
  // up to 300 ms to become reapable.
  if (server_ && server_->wait_for_exit(std::chrono::milliseconds(300))) {
    return fault + "; the pantry server has died (" + server_->ended() + ")";
  }
  return fault;
}

NetReading PantryHost::read(const pantry::NetPantry& connections) const {
  return {.server_cpu = server_ ? server_->cpu_time() : std::chrono::nanoseconds(0),
          .traffic = connections.traffic()};
}

RowConnections::~RowConnections() {
  if (host_.open_ == this) host_.open_ = nullptr;
}

void RowConnections::close() {
  connections_.reset();
  if (host_.open_ == this) host_.open_ = nullptr;
}

pantry::NetPantry& RowConnections::open() {
  if (const std::string why = host_.unavailable(); !why.empty()) {
    close();
    throw pantry::PantryError(why);
  }
  const bool kept = connections_ && host_.open_ == this;
  if (!kept) {
    // The previous row's connections close first: at most one row's are open.
    if (host_.open_) host_.open_->close();
    close();
    check_file_budget(chefs_);
  }
  try {
    if (kept) {
      connections_->reopen_unusable();
    } else {
      connections_ = std::make_unique<pantry::NetPantry>(host_.server_->port(), chefs_);
      host_.open_ = this;
    }
  } catch (const pantry::PantryError& e) {
    close();
    throw pantry::PantryError(host_.net_failure(e.what()));
  }
  return *connections_;
}

std::optional<std::string> reactor_refusal() {
  return pantry::asio_reactor() == "io_uring" ? pantry::io_uring_refusal() : std::nullopt;
}

void report_net(benchmark::State& state, const NetReading& before, const NetReading& after,
                double wall_ns, double dishes) {
  if (wall_ns <= 0 || dishes <= 0) return;
  auto& c = state.counters;
  c["server_cpu_util"] =
      static_cast<double>((after.server_cpu - before.server_cpu).count()) / wall_ns;
  const auto bytes = (after.traffic.bytes_sent - before.traffic.bytes_sent) +
                     (after.traffic.bytes_received - before.traffic.bytes_received);
  c["bytes_per_dish"] = static_cast<double>(bytes) / dishes;
  // Counted by the blocking client only: event loops' calls are Asio's (or io_uring's).
  if (const auto calls = after.traffic.socket_calls - before.traffic.socket_calls; calls > 0) {
    c["socket_calls_per_dish"] = static_cast<double>(calls) / dishes;
  }
}

}  // namespace kitchen::bench
