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
#include <sstream>
#include <string>
#include <thread>
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
    const std::string program = testing::program_path("bench_kitchen");
    const std::string out_flag = "--benchmark_out=" + out_.string();
    std::vector<std::string> args = {program, "--profiles=io", out_flag, "--benchmark_format=json"};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
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

}  // namespace
}  // namespace kitchen
