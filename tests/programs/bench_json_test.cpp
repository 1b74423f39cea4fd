// bench_kitchen --quick --benchmark_format=json, as a user and the plotting scripts read it (run
// once by a ctest fixture): valid JSON on stdout and nothing else, a row for every executor, every
// counter on every row, no error row, provenance in the context.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "executors/catalogue.hpp"
#include "os/cores.hpp"
#include "programs/run_program.hpp"

namespace kitchen {
namespace {

const char* const kCounters[] = {"chefs",
                                 "customers",
                                 "io_us",
                                 "cpu_us",
                                 "dishes_per_s",
                                 "efficiency",
                                 "p50_ms",
                                 "p99_ms",
                                 "peak_in_preparation",
                                 "os_threads",
                                 "cooking_threads",
                                 "gil_switches_per_s",
                                 "pantry_wait_us_per_dish",
                                 "ctx_switches_per_dish",
                                 "cpu_util",
                                 "open_us",
                                 "us_per_dish"};

// The sweep runs once, as the ctest fixture quick_sweep_run (tests/CMakeLists.txt), which leaves
// its stdout, stderr and exit status in KITCHEN_QUICK_SWEEP_DIR; every test here reads them.
class QuickSweep : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* dir = std::getenv("KITCHEN_QUICK_SWEEP_DIR");
    ASSERT_NE(dir, nullptr) << "KITCHEN_QUICK_SWEEP_DIR is not set: run through ctest";
    const std::filesystem::path where(dir);
    ASSERT_TRUE(std::filesystem::exists(where / "status")) << "no quick sweep in " << where;
    run_ = new testing::Run;
    run_->exit_code = std::stoi(testing::read_file(where / "status"));
    run_->out = testing::read_file(where / "out.json");
    run_->err = testing::read_file(where / "err.txt");
  }
  static void TearDownTestSuite() { delete run_; }
  void SetUp() override { ASSERT_NE(run_, nullptr); }
  static testing::Run* run_;
};
testing::Run* QuickSweep::run_ = nullptr;

TEST_F(QuickSweep, ExitsCleanlyWithOnlyJsonOnStdout) {
  ASSERT_EQ(run_->exit_code, 0) << run_->err;
  EXPECT_TRUE(nlohmann::json::accept(run_->out)) << run_->out.substr(0, 400);
}

TEST_F(QuickSweep, HasARowForEveryExecutorWithEveryCounterAndNoError) {
  const auto json = nlohmann::json::parse(run_->out);
  std::set<std::string> seen;
  ASSERT_FALSE(json.at("benchmarks").empty());
  std::set<std::string> medians;
  for (const auto& row : json.at("benchmarks")) {
    const std::string name = row.at("name");
    // Every row is repeated: its aggregates follow its repetitions.
    if (row.at("run_type") == "aggregate") {
      if (row.at("aggregate_name") == "median") medians.insert(row.at("run_name"));
      continue;
    }
    EXPECT_EQ(row.at("repetitions"), 3) << name;
    EXPECT_FALSE(row.value("error_occurred", false))
        << name << ": " << row.value("error_message", "");
    for (const char* counter : kCounters) {
      ASSERT_TRUE(row.contains(counter)) << name << " lacks " << counter;
      EXPECT_TRUE(row.at(counter).is_number()) << name << " " << counter;
    }
    EXPECT_LE(row.at("peak_in_preparation").get<double>(), row.at("chefs").get<double>()) << name;
    EXPECT_GT(row.at("dishes_per_s").get<double>(), 0) << name;
    ASSERT_EQ(name.rfind("kitchen/", 0), 0u) << name;
    seen.insert(name.substr(8, name.find('/', 8) - 8));
  }
  for (std::string_view executor : kExecutorNames) {
    EXPECT_TRUE(seen.count(std::string(executor))) << "no row for " << executor;
  }
  for (const auto& row : json.at("benchmarks")) {
    if (row.at("run_type") == "iteration") {
      EXPECT_TRUE(medians.count(row.at("run_name"))) << row.at("name");
    }
  }
}

TEST_F(QuickSweep, NamesRowsByExecutorProfileChefsAndCustomers) {
  const auto json = nlohmann::json::parse(run_->out);
  bool found = false;
  for (const auto& row : json.at("benchmarks")) {
    found |= row.at("name").get<std::string>().rfind("kitchen/asio_coro/io/chefs:4/customers:16",
                                                     0) == 0;
  }
  EXPECT_TRUE(found);
}

TEST_F(QuickSweep, RecordsWhereTheFiguresCameFrom) {
  const auto context = nlohmann::json::parse(run_->out).at("context");
  for (const char* key : {"compiler", "boost_version", "timer_slack_ns", "cpu_ns_per_unit",
                          "kitchen_git_revision", "kitchen_sweep", "pid_max"}) {
    EXPECT_TRUE(context.contains(key)) << key;
  }
  EXPECT_EQ(context.at("timer_slack_ns"), "1");
  EXPECT_EQ(context.at("kitchen_sweep"), "quick");
  EXPECT_EQ(context.at("usable_cores"), std::to_string(os::usable_cores()));
  const auto catalogue = nlohmann::json::parse(context.at("kitchen_catalogue").get<std::string>());
  ASSERT_EQ(catalogue.size(), kExecutorNames.size());
  for (std::size_t i = 0; i < catalogue.size(); ++i) {
    EXPECT_EQ(catalogue[i].at("name"), std::string(kExecutorNames[i]));
  }
}

// On one core (taskset), the context says so and the cpu grid follows it: chefs
// 1, 2 and 4 x 1 core, where two cores would give 1, 2 and 8.
TEST(UsableCores, OneCoreUnderTasksetGivesAOneCoreGrid) {
  const testing::Run run = testing::run_program(
      "/usr/bin/taskset", {"-c", "0", testing::program_path("bench_kitchen"), "--executors=serial",
                           "--profiles=cpu", "--customers=1", "--benchmark_format=json",
                           "--benchmark_min_time=0.001", "--benchmark_repetitions=1"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json.at("context").at("usable_cores"), "1");
  std::set<double> chefs;
  for (const auto& row : json.at("benchmarks")) chefs.insert(row.at("chefs").get<double>());
  EXPECT_EQ(chefs, (std::set<double>{1, 2, 4}));
}

}  // namespace
}  // namespace kitchen
