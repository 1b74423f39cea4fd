// The blocking client a thread executor uses: one request and one reply per fetch, errors that
// name the connection and the cause, and no hang when the server fails.
#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "pantry/helpers.hpp"
#include "thrown.hpp"

namespace kitchen {
namespace {

using pantry::PantryConnection;
using pantry::PantryError;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using Clock = std::chrono::steady_clock;

std::string contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos ? "" : "'" + part + "' not in '" + text + "'";
}

// The message of the PantryError `call` throws, or "" if it throws none.
std::string pantry_error_of(auto&& call) { return testing::message_of<PantryError>(call); }

TEST(PantryClient, FetchesAndCountsItsTraffic) {
  testing::LoggedServer server(100);
  PantryConnection connection(server.port(), 3);
  EXPECT_EQ(connection.name(), "pantry connection 3 to 127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(connection.payload_bytes(), 100u);
  for (std::uint32_t i = 0; i < 10; ++i) connection.fetch(i, std::chrono::microseconds(i * 100));
  EXPECT_EQ(connection.traffic().requests, 10u);
  EXPECT_EQ(connection.traffic().bytes_sent, 10u * 24);
  EXPECT_EQ(connection.traffic().bytes_received, 10u * (24 + 100));
  // One send and one receive per fetch at the least.
  EXPECT_GE(connection.traffic().socket_calls, 20u);
  EXPECT_TRUE(connection.usable());
}

TEST(PantryClient, ReturnsNoSoonerThanTheDelay) {
  testing::LoggedServer server;
  PantryConnection connection(server.port(), 0);
  const auto start = Clock::now();
  connection.fetch(1, milliseconds(20));
  EXPECT_GE(Clock::now() - start, milliseconds(20));
}

TEST(PantryClient, OpensOneConnectionPerChef) {
  testing::LoggedServer server;
  auto connections = pantry::open_connections(server.port(), 50, 10);
  ASSERT_EQ(connections.size(), 50u);
  for (std::size_t chef = 0; chef < connections.size(); ++chef) {
    EXPECT_EQ(connections[chef].name().rfind("pantry connection " + std::to_string(10 + chef), 0),
              0u);
    connections[chef].fetch(static_cast<std::uint32_t>(chef), nanoseconds(0));
  }
}

TEST(PantryClient, ARefusedConnectionNamesTheConnectionAndSaysRefused) {
  const testing::ClosedPort closed;
  const std::string error = pantry_error_of([&] { PantryConnection(closed.port(), 3); });
  EXPECT_EQ(contains(error, "pantry connection 3 to 127.0.0.1:" + std::to_string(closed.port())),
            "");
  EXPECT_EQ(contains(error, "refused"), "");
}

// Whether thread `tid` of this process is blocked in system call `number`, as /proc sees it
// ("running" while it runs).
bool blocked_in(pid_t tid, long number) {
  std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/syscall");
  long current = -1;
  return static_cast<bool>(in >> current) && current == number;
}

TEST(PantryClient, AServerKilledMidRequestIsAPantryErrorNotAHang) {
  testing::LoggedServer server;
  PantryConnection connection(server.port(), 4);
  const pid_t fetcher = ::gettid();
  std::atomic<bool> fetched{false};
  std::thread killer([&] {
    // Killed once the fetch waits for its reply, in recv(): the request is sent, and the server
    // waits its 10 s. A fetch that ended first (it should not) ends the wait too.
    while (!fetched.load() && !blocked_in(fetcher, SYS_recvfrom)) std::this_thread::yield();
    server.process().kill();
  });
  const std::string error = pantry_error_of([&] { connection.fetch(9, std::chrono::seconds(10)); });
  fetched.store(true);
  killer.join();
  EXPECT_EQ(contains(error, connection.name() + ": fetching ingredient 9"), "");
  const bool reset_or_eof = error.find("reset") != std::string::npos ||
                            error.find("EOF") != std::string::npos ||
                            error.find("Broken pipe") != std::string::npos;
  EXPECT_TRUE(reset_or_eof) << error;
  EXPECT_FALSE(connection.usable());
  EXPECT_EQ(contains(pantry_error_of([&] { connection.fetch(10, nanoseconds(0)); }), "out of step"),
            "");
}

TEST(PantryClient, ASilentServerTimesOut) {
  testing::SilentServer silent;
  PantryConnection connection(silent.port(), 5);
  const auto start = Clock::now();
  const std::string error = pantry_error_of([&] { connection.fetch(1, nanoseconds(0)); });
  // Not before the timeout: 10 x 0 + 1 s.
  EXPECT_GE(Clock::now() - start, milliseconds(1000));
  EXPECT_EQ(contains(error, connection.name()), "");
  EXPECT_EQ(contains(error, "no reply within 1.000 s (timed out)"), "");
}

TEST(PantryClient, ADelayAboveTheMaximumIsRefusedBeforeSending) {
  testing::LoggedServer server;
  PantryConnection connection(server.port(), 0);
  const std::string error = pantry_error_of([&] { connection.fetch(1, std::chrono::seconds(11)); });
  EXPECT_EQ(contains(error, "above the protocol's maximum"), "");
  EXPECT_EQ(connection.traffic().bytes_sent, 0u);
  // Nothing was sent, so the connection is still in step.
  connection.fetch(1, nanoseconds(0));
  EXPECT_TRUE(server.stop_and_read_log().empty());
}

}  // namespace
}  // namespace kitchen
