// The server as the bench's child: found beside the running program, watched, measured, and
// reported clearly when it cannot start.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "pantry/connection.hpp"
#include "pantry/helpers.hpp"
#include "pantry/pantry_process.hpp"
#include "thrown.hpp"

namespace kitchen {
namespace {

using pantry::PantryOptions;
using pantry::PantryProcess;

// What starting `program` as the server throws, or "".
std::string start_error(const std::string& program) {
  PantryOptions options;
  options.program = program;
  return testing::message_of<pantry::PantryError>([&] { PantryProcess server(options); });
}

TEST(PantryProcess, IsFoundBesideTheRunningProgram) {
  PantryProcess server;
  const auto self = std::filesystem::read_symlink("/proc/self/exe");
  EXPECT_EQ(std::filesystem::path(server.program()), self.parent_path() / "pantry_server");
  EXPECT_TRUE(server.alive());
  EXPECT_TRUE(server.ended().empty());
}

TEST(PantryProcess, ReportsItsCpuTimeAndHowItEnded) {
  PantryProcess server;
  pantry::PantryConnection connection(server.port(), 0);
  const auto before = server.cpu_time();
  for (std::uint32_t i = 0; i < 500; ++i) connection.fetch(i, std::chrono::nanoseconds(0));
  const auto after = server.cpu_time();
  EXPECT_GE(before.count(), 0);
  EXPECT_GE(after, before);
  EXPECT_EQ(server.stop(), "exited with status 0");
  EXPECT_FALSE(server.alive());
  // Once it has ended, its final CPU time, from its rusage.
  EXPECT_GE(server.cpu_time().count(), 0);
}

TEST(PantryProcess, AKilledServerIsNotAlive) {
  PantryProcess server;
  server.kill();
  EXPECT_EQ(server.stop(std::chrono::seconds(60)), "killed by signal 9");
  EXPECT_FALSE(server.alive());
}

// wait_for_exit() returns once the server has ended, and not before: a live server is still
// alive after it gives up.
TEST(PantryProcess, WaitsForTheEndOfAKilledServer) {
  PantryProcess server;
  EXPECT_FALSE(server.wait_for_exit(std::chrono::milliseconds(1)));
  EXPECT_TRUE(server.alive());
  server.kill();
  ASSERT_TRUE(server.wait_for_exit(std::chrono::seconds(60)));
  EXPECT_EQ(server.ended(), "killed by signal 9");
  EXPECT_FALSE(server.alive());
}

// A server killed before or during the capacity probe cannot send its hello or a reply (it runs
// no more code once the signal is pending): the probe fails, and says that the server died.
TEST(PantryProcess, ACapacityProbeOfAKilledServerSaysItDied) {
  PantryProcess server;
  server.kill();
  const std::string error =
      testing::message_of<pantry::PantryError>([&] { pantry::measure_capacity(server, 2000); });
  EXPECT_NE(error.find("; the pantry server has died (killed by signal 9)"), std::string::npos)
      << error;
}

// A program that is not a pantry server, and the words its start fails with.
struct NotAServer {
  const char* name;
  const char* program;
  const char* says;
};

class PantryProcessStart : public ::testing::TestWithParam<NotAServer> {};

TEST_P(PantryProcessStart, SaysWhyItFailed) {
  const std::string error = start_error(GetParam().program);
  EXPECT_NE(error.find(GetParam().says), std::string::npos) << error;
}

INSTANTIATE_TEST_SUITE_P(
    NotAServer, PantryProcessStart,
    ::testing::Values(NotAServer{"MissingProgram", "/nonexistent/pantry_server",
                                 "cannot start /nonexistent/pantry_server: No such file"},
                      NotAServer{"ExitsFirst", "/bin/false",
                                 "exited with status 1 before printing its port"},
                      NotAServer{"PrintsNoPort", "/bin/echo",
                                 "printed '--payload-bytes=64' instead of its port"}),
    [](const ::testing::TestParamInfo<NotAServer>& info) { return std::string(info.param.name); });

TEST(PantryProcess, MeasuresTheServersCapacity) {
  PantryProcess server;
  const pantry::Capacity capacity = pantry::measure_capacity(server, 2000);
  EXPECT_EQ(capacity.requests, 2000u);
  EXPECT_GT(capacity.seconds, 0);
  EXPECT_GT(capacity.requests_per_s, 0);
  EXPECT_GE(capacity.server_cpu.count(), 0);
  EXPECT_EQ(capacity.connections, 1u);
}

// With several clients at once, each on a connection and a thread of its own, the probe counts
// every client's share of the requests.
TEST(PantryProcess, MeasuresTheCapacityOverSeveralConnectionsAtOnce) {
  PantryProcess server;
  const pantry::Capacity capacity = pantry::measure_capacity(server, 2000, 4);
  EXPECT_EQ(capacity.connections, 4u);
  EXPECT_EQ(capacity.requests, 2000u);
  EXPECT_GT(capacity.requests_per_s, 0);
}

}  // namespace
}  // namespace kitchen
