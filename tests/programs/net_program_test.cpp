// bench_kitchen --io=net through the real binary: full net rows with their counters, the pantry
// server's capacity in the context, a server killed in the middle of a long run (the run goes
// on to the end, exits 0 with an error row, and leaves no server behind), and the io_uring twin.
// No duration or speed is asserted; the timeouts only keep a hang from passing.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "programs/run_program.hpp"

namespace kitchen {
namespace {

using nlohmann::json;
using std::chrono::seconds;

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string row_of(const json& row) { return row.at("name").get<std::string>(); }

TEST(NetProgram, NetRowsServeEveryOrderAndCarryTheirCounters) {
  const testing::Run run = testing::run_program(
      "bench_kitchen",
      {"--executors=threads_pool,asio_coro", "--profiles=io", "--io=timer,net", "--chefs=2",
       "--customers=10", "--payload-bytes=100", "--benchmark_repetitions=1",
       "--benchmark_min_time=0.01", "--benchmark_format=json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const json out = json::parse(run.out);
  EXPECT_EQ(out["context"]["pantry_payload_bytes"], "100");
  EXPECT_TRUE(out["context"].contains("pantry_capacity_per_s")) << out["context"].dump();
  int net_rows = 0;
  for (const json& row : out["benchmarks"]) {
    ASSERT_FALSE(row.value("error_occurred", false)) << row.dump();
    const std::string name = row_of(row);
    if (name.find("/io:net") == std::string::npos) {
      EXPECT_FALSE(row.contains("bytes_per_dish")) << name;
      continue;
    }
    ++net_rows;
    EXPECT_EQ(row["served"], 10) << name;
    // Each ingredient: a 24-byte request, a 24-byte header and 100 bytes of payload.
    EXPECT_GT(row["bytes_per_dish"].get<double>(), 5 * 148 - 1) << name;
    EXPECT_GE(row["server_cpu_util"].get<double>(), 0) << name;
    if (name.find("threads_pool") != std::string::npos) {
      EXPECT_GE(row["socket_calls_per_dish"].get<double>(), 10) << name;
    }
  }
  EXPECT_EQ(net_rows, 2);
}

// The children of `pid`'s main thread (the pantry server is started by it).
std::vector<pid_t> children_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
  std::vector<pid_t> children;
  for (pid_t child; in >> child;) children.push_back(child);
  return children;
}

// The server is killed when the first row starts: after the capacity probe, and with net rows
// still to run. Three rows, sized to run a moment (the kill must come before the end); the first
// fails, unless it is served before the signal lands, and every row after it fails. The run goes
// on to the end and exits 0 with every row in its output.
TEST(NetProgram, AServerKilledMidRunMakesAnErrorRowAndTheRunGoesOn) {
  const std::string out_file = "/tmp/kitchen_dead_server_" + std::to_string(::getpid()) + ".json";
  testing::Background bench(
      "bench_kitchen",
      {"--executors=threads_pool,asio_coro,asio_callback", "--profiles=io", "--io=net", "--chefs=4",
       "--customers=100", "--benchmark_repetitions=1", "--benchmark_min_time=0.2",
       "--benchmark_format=json"},
      out_file);
  // Its progress line: the first row has started.
  ASSERT_TRUE(bench.line_with("  kitchen/", seconds(120))) << bench.err();
  // Started before the rows, and stopped only after them.
  const std::vector<pid_t> children = children_of(bench.pid());
  ASSERT_EQ(children.size(), 1u) << "no pantry server running";
  const pid_t server = children.front();
  ASSERT_EQ(::kill(server, SIGKILL), 0);
  const std::optional<int> status = bench.wait(seconds(120));
  ASSERT_TRUE(status) << "bench_kitchen still running 120 s after its server was killed";
  ASSERT_TRUE(WIFEXITED(*status)) << bench.err();
  EXPECT_EQ(WEXITSTATUS(*status), 0) << bench.err();
  // The server is gone (reaped by the bench), and nothing else of it is left.
  EXPECT_FALSE(std::filesystem::exists("/proc/" + std::to_string(server)));
  const std::string text = testing::read_file(out_file);
  std::filesystem::remove(out_file);
  const json out = json::parse(text);
  EXPECT_EQ(out["benchmarks"].size(), 3u) << bench.err();
  // Once a row has failed, every later one fails too: the server does not come back.
  int errors = 0;
  for (const json& row : out["benchmarks"]) {
    if (!row.value("error_occurred", false)) {
      EXPECT_EQ(errors, 0) << "a row served after the server died: " << row.dump();
      continue;
    }
    ++errors;
    EXPECT_NE(row["error_message"].get<std::string>().find("pantry server has died"),
              std::string::npos)
        << row.dump();
  }
  EXPECT_GE(errors, 1);
}

TEST(NetProgram, TheUringTwinNamesItsReactorInEveryRow) {
  const std::string uring = testing::program_path("bench_kitchen_uring");
  if (!std::filesystem::exists(uring)) GTEST_SKIP() << "bench_kitchen_uring is not built";
  const testing::Run run = testing::run_program(
      "bench_kitchen_uring",
      {"--executors=asio_coro,threads_chefs", "--profiles=io", "--io=timer,net", "--chefs=2",
       "--customers=6", "--benchmark_repetitions=1", "--benchmark_min_time=0.01",
       "--benchmark_format=json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const json out = json::parse(run.out);
  EXPECT_EQ(out["context"]["asio_reactor"], "io_uring");
  const bool refused = out["context"].contains("io_uring_refusal");
  ASSERT_EQ(out["benchmarks"].size(), 4u);
  for (const json& row : out["benchmarks"]) {
    const std::string name = row_of(row);
    EXPECT_TRUE(ends_with(name, "/reactor:io_uring/process_time/real_time")) << name;
    if (refused) {
      EXPECT_NE(row["error_message"].get<std::string>().find("io_uring"), std::string::npos);
    } else {
      EXPECT_FALSE(row.value("error_occurred", false)) << row.dump();
      EXPECT_EQ(row["served"], 6) << name;
    }
  }
}

// Too few file descriptors for a row's connections (here 64 for 100 chefs): the row is an
// error naming the limit and `ulimit -n`, before any connection is tried, and the run goes on
// to exit 0.
TEST(NetProgram, TooFewFileDescriptorsMakeAnErrorRowNamingTheLimit) {
  const testing::Run run = testing::run_under_limit(
      "-n 64", "bench_kitchen",
      "--executors=asio_coro,threads_pool --profiles=io --io=net --chefs=100 --customers=10"
      " --benchmark_repetitions=1 --benchmark_min_time=0.01 --benchmark_format=json");
  ASSERT_EQ(run.exit_code, 0) << "signal " << run.signal;
  const json rows = json::parse(run.out).at("benchmarks");
  ASSERT_EQ(rows.size(), 2u);
  for (const json& row : rows) {
    EXPECT_TRUE(row.value("error_occurred", false)) << row.dump();
    const std::string message = row.value("error_message", "");
    EXPECT_NE(message.find("a net row of 100 chefs needs about"), std::string::npos) << message;
    EXPECT_NE(message.find("the limit is 64 (RLIMIT_NOFILE"), std::string::npos) << message;
    EXPECT_NE(message.find("ulimit -n"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace kitchen
