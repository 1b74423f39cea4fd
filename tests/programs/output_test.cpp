// bench_kitchen's --benchmark_out file is replaced whole or not at all: a run
// killed half-way (SIGTERM, SIGKILL) or one that matches no row leaves the file
// of an earlier run byte for byte as it was.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "programs/run_program.hpp"

namespace kitchen {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class OutputFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kitchen_output_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    out_ = dir_ / "results.json";
    std::ofstream(out_) << "{\"an earlier run\": true}\n";
    before_ = read_file(out_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs bench_kitchen on a sweep of many rows and, once the first row has started (its
  // progress line; the partial file is open by then), sends `signal` and reaps it. Killed at its
  // first row, the run's length is only a margin: the signal must land before the end.
  void kill_mid_run(int signal) {
    testing::Background bench(
        "bench_kitchen",
        {"--executors=threads_pool,asio_coro", "--profiles=io", "--benchmark_repetitions=1",
         "--benchmark_out=" + out_.string(), "--benchmark_format=json"});
    const std::string partial =
        "." + out_.filename().string() + ".partial." + std::to_string(bench.pid());
    ASSERT_TRUE(bench.line_with("  kitchen/", std::chrono::seconds(120)))
        << "the run never started a row: " << bench.err();
    EXPECT_TRUE(fs::exists(dir_ / partial)) << "the run is not writing its rows";
    ::kill(bench.pid(), signal);
    const std::optional<int> status = bench.wait(std::chrono::seconds(120));
    ASSERT_TRUE(status) << "bench_kitchen still running 120 s after the signal";
    EXPECT_TRUE(WIFSIGNALED(*status)) << *status;
    if (signal == SIGTERM) {
      EXPECT_FALSE(fs::exists(dir_ / partial)) << "SIGTERM must remove the partial file";
    }
  }

  fs::path dir_;
  fs::path out_;
  std::string before_;
};

TEST_F(OutputFile, SigtermMidRunLeavesTheEarlierFileAsItWas) {
  kill_mid_run(SIGTERM);
  EXPECT_EQ(read_file(out_), before_);
}

TEST_F(OutputFile, SigkillMidRunLeavesTheEarlierFileAsItWas) {
  kill_mid_run(SIGKILL);
  EXPECT_EQ(read_file(out_), before_);
}

TEST_F(OutputFile, AFilterMatchingNothingExitsTwoAndLeavesTheFile) {
  const testing::Run run = testing::run_program(
      "bench_kitchen", {"--benchmark_filter=^nothing/", "--benchmark_out=" + out_.string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_NE(run.err.find("no benchmark matches --benchmark_filter=^nothing/"), std::string::npos)
      << run.err;
  EXPECT_EQ(read_file(out_), before_);
  // Nothing but the earlier file is left in its folder.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(OutputFile, ACompletedRunReplacesTheFileWithValidJson) {
  const testing::Run run = testing::run_program(
      "bench_kitchen", {"--executors=serial", "--profiles=overhead", "--customers=10", "--chefs=1",
                        "--benchmark_min_time=0.001", "--benchmark_repetitions=1",
                        "--benchmark_out=" + out_.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string after = read_file(out_);
  EXPECT_NE(after, before_);
  EXPECT_NE(after.find("kitchen/serial/overhead/chefs:1/customers:10"), std::string::npos);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

}  // namespace
}  // namespace kitchen
