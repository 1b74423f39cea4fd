// bench_kitchen's --benchmark_out file is replaced whole or not at all: a run
// killed half-way (SIGTERM, SIGKILL) or one that matches no row leaves the file
// of an earlier run byte for byte as it was.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "programs/run_program.hpp"

extern char** environ;

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

  // Starts bench_kitchen on a sweep long enough to be killed in the middle of.
  pid_t start_long_run() {
    return spawn_bench(
        {"--profiles=io", "--benchmark_out=" + out_.string(), "--benchmark_format=json"});
  }

  // Starts bench_kitchen with `flags`, stdout to /dev/null and stderr to `err`.
  pid_t spawn_bench(std::vector<std::string> flags, const std::string& err = "/dev/null") {
    const std::string program = testing::program_path("bench_kitchen");
    std::vector<std::string> args = {program};
    args.insert(args.end(), flags.begin(), flags.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(spawned, 0);
    return pid;
  }

  // Waits until the run has begun writing its rows (the partial file exists),
  // then sends `signal` and reaps the process.
  void kill_mid_run(int signal) {
    const pid_t pid = start_long_run();
    const std::string partial = "." + out_.filename().string() + ".partial." + std::to_string(pid);
    for (int i = 0; i < 3000 && !fs::exists(dir_ / partial); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_TRUE(fs::exists(dir_ / partial)) << "the run never started writing";
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ::kill(pid, signal);
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFSIGNALED(status)) << status;
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
  const fs::path err = dir_.string() + ".err";
  // Two repetitions of 100 dishes served one after another, each waiting 5 ms or more: the
  // run lasts a second at least, long after the folder is made.
  const pid_t pid = spawn_bench({"--executors=serial", "--profiles=io", "--chefs=1",
                                 "--customers=100", "--benchmark_repetitions=2",
                                 "--benchmark_min_time=0.01", "--benchmark_out=" + late.string()},
                                err.string());
  const fs::path partial = dir_ / (".late.json.partial." + std::to_string(pid));
  for (int i = 0; i < 3000 && !fs::exists(partial); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(fs::exists(partial)) << "the run never created its temporary file";
  fs::create_directory(late);
  int status = 0;
  ::waitpid(pid, &status, 0);
  const std::string said = read_file(err);
  fs::remove(err);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 1) << said;
  EXPECT_NE(said.find("bench_kitchen: could not write " + late.string() + ": Is a directory"),
            std::string::npos)
      << said;
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
