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
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "programs/run_program.hpp"

namespace kitchen {
namespace {

namespace fs = std::filesystem;

using testing::read_file;

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

// An output that cannot be written is refused before anything runs: exit 2, one line saying
// why, and nothing created.
TEST_F(OutputFile, AnOutputThatCannotBeWrittenIsRefusedBeforeAnythingRuns) {
  fs::create_directory(dir_ / "a_folder");
  const std::pair<std::string, std::string> cases[] = {
      {(dir_ / "a_folder").string(), "it is a directory"},
      {(dir_ / "missing" / "results.json").string(), "there is no folder"},
      {"/dev/null", "it is not a regular file"},
  };
  for (const auto& [path, why] : cases) {
    const testing::Run run = testing::run_program(
        "bench_kitchen", {"--executors=serial", "--profiles=overhead", "--chefs=1", "--customers=4",
                          "--benchmark_out=" + path});
    EXPECT_EQ(run.exit_code, 2) << path << ": " << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    EXPECT_NE(run.err.find("--benchmark_out=" + path + ": " + why), std::string::npos) << run.err;
    EXPECT_TRUE(run.out.empty()) << run.out;
  }
  EXPECT_EQ(read_file(out_), before_);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 2);
  EXPECT_TRUE(fs::is_empty(dir_ / "a_folder"));
}

TEST_F(OutputFile, AFolderThatCannotBeWrittenIsRefusedBeforeAnythingRuns) {
  if (::geteuid() == 0) GTEST_SKIP() << "root may write in any folder";
  fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec);
  const testing::Run run = testing::run_program(
      "bench_kitchen", {"--executors=serial", "--profiles=overhead", "--chefs=1", "--customers=4",
                        "--benchmark_out=" + (dir_ / "new.json").string()});
  fs::permissions(dir_, fs::perms::owner_all);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_NE(run.err.find("cannot be written"), std::string::npos) << run.err;
}

// The output found unwritable only at the end (a folder took its name mid-run): the run exits
// non-zero with one line saying so, and its temporary file is gone.
TEST_F(OutputFile, AnOutputThatCannotBeCommittedExitsNonZeroAndLeavesNoPartialFile) {
  const fs::path late = dir_ / "late.json";
  // Two repetitions of 100 dishes served one after another, each waiting 5 ms or more: the
  // run lasts a second at least after its first row starts, when the folder is made.
  testing::Background bench("bench_kitchen",
                            {"--executors=serial", "--profiles=io", "--chefs=1", "--customers=100",
                             "--benchmark_repetitions=2", "--benchmark_min_time=0.01",
                             "--benchmark_out=" + late.string()});
  const fs::path partial = dir_ / (".late.json.partial." + std::to_string(bench.pid()));
  ASSERT_TRUE(bench.line_with("  kitchen/", std::chrono::seconds(120)))
      << "the run never started a row: " << bench.err();
  ASSERT_TRUE(fs::exists(partial)) << "the run never created its temporary file";
  fs::create_directory(late);
  const std::optional<int> status = bench.wait(std::chrono::seconds(120));
  ASSERT_TRUE(status) << "bench_kitchen still running 120 s after its first row";
  ASSERT_TRUE(WIFEXITED(*status)) << *status;
  EXPECT_EQ(WEXITSTATUS(*status), 1) << bench.err();
  EXPECT_NE(
      bench.err().find("bench_kitchen: could not write " + late.string() + ": Is a directory"),
      std::string::npos)
      << bench.err();
  EXPECT_FALSE(fs::exists(partial));
  EXPECT_TRUE(fs::is_empty(late));
}

// No output holds NaN or Infinity, which are not JSON: nlohmann's parser, as strict as any,
// reads both the file and stdout. Every order fails, so the kitchen counters are 0 in every
// repetition (their coefficient of variation is 0/0, written 0); the memory rows' signed
// counters may average 0 without being 0 (a coefficient without a finite value, left out).
TEST_F(OutputFile, EveryNumberInTheFileAndOnStdoutIsStrictJson) {
  const testing::Run run = testing::run_program(
      "bench_kitchen", {"--benchmark_filter=^(kitchen/|memory/(coro|thread)/tasks:1000/)",
                        "--executors=asio_coro,threads_pool", "--profiles=io", "--chefs=2",
                        "--customers=4", "--io-us=100", "--fail-rate=1", "--load=0.5",
                        "--benchmark_repetitions=3", "--benchmark_min_time=0.001",
                        "--benchmark_format=json", "--benchmark_out=" + out_.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const std::string& text : {run.out, read_file(out_)}) {
    nlohmann::json doc;
    ASSERT_NO_THROW(doc = nlohmann::json::parse(text)) << text.substr(0, 400);
    int zero_spread = 0;
    for (const auto& row : doc.at("benchmarks")) {
      if (row.value("aggregate_name", "") != "cv" ||
          row.at("name").get<std::string>().find("kitchen/") != 0) {
        continue;
      }
      EXPECT_EQ(row.at("dishes_per_s"), 0) << row.dump();
      ++zero_spread;
    }
    EXPECT_EQ(zero_spread, 2);
  }
}

}  // namespace
}  // namespace kitchen
