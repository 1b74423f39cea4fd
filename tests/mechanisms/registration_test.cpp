// Which mechanism rows a run registers: none in the unfiltered kitchen sweep,
// the cheap families under any filter, memory only when named or with
// --mechanisms; and the new flags' checks. Suites are named mechanisms_* so
// that `ctest -R mechanisms` selects them.

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "executors/catalogue.hpp"
#include "run_bench.hpp"

namespace kitchen::bench::bench_run {
namespace {

// --benchmark_list_tests prints each row's full name, Google Benchmark's
// suffixes included.
bool lists(const BenchRun& run, const std::string& name) {
  const std::string all = "\n" + run.output;
  return all.find("\n" + name + "\n") != std::string::npos ||
         all.find("\n" + name + "/") != std::string::npos;
}

TEST(mechanisms_registration, UnfilteredSweepHasNoMechanismRows) {
  const BenchRun run = run_bench("--benchmark_list_tests");
  ASSERT_EQ(run.status, 0);
  EXPECT_NE(run.output.find("kitchen/"), std::string::npos);
  for (const char* family : {"\nspawn/", "\nswitch/", "\nmemory/", "\ntimer/"}) {
    EXPECT_EQ(("\n" + run.output).find(family), std::string::npos) << family;
  }
}

TEST(mechanisms_registration, TheSecondPassFilterListsEveryFamily) {
  const BenchRun run = run_bench(
      "--benchmark_filter='^(spawn|switch|memory|timer)/' "
      "--benchmark_list_tests");
  ASSERT_EQ(run.status, 0);
  for (const char* name :
       {"spawn/thread", "spawn/thread_small_stack", "spawn/coro", "spawn/post", "switch/thread_cv",
        "switch/thread_sem", "switch/coro", "switch/handler", "memory/thread/tasks:10000",
        "memory/thread_small_stack/tasks:100", "memory/coro/tasks:1000000",
        "timer/thread_sleep/wait_us:100/slack:default",
        "timer/asio_timer/wait_us:10000/slack:1ns"}) {
    EXPECT_TRUE(lists(run, name)) << name << "\n" << run.output;
  }
  EXPECT_EQ(run.output.find("kitchen/"), std::string::npos);
}

TEST(mechanisms_registration, EveryExecutorHasAFloorRowBesideItsKitchenRow) {
  const BenchRun run = run_bench(
      "--profiles=overhead --chefs=3 --customers=10000 --benchmark_filter='^(kitchen|floor)/' "
      "--benchmark_list_tests");
  ASSERT_EQ(run.status, 0);
  for (const Listing& e : kCatalogue) {
    const std::string point = std::string(e.name) + "/overhead/chefs:3/customers:10000";
    EXPECT_TRUE(lists(run, "kitchen/" + point)) << e.name << "\n" << run.output;
    EXPECT_TRUE(lists(run, "floor/" + std::string(e.name) + "/chefs:3/customers:10000"))
        << e.name << "\n"
        << run.output;
  }
}

TEST(mechanisms_registration, AFloorRowTimesTheExecutorInTheSameIterationsAsItsFloor) {
  const BenchRun run = run_bench(
      "--benchmark_filter='^floor/(serial|asio_coro)/' --benchmark_repetitions=1 "
      "--benchmark_min_time=0.000001 --benchmark_format=json");
  ASSERT_EQ(run.status, 0);
  const nlohmann::json rows = rows_by_name(run);
  for (const char* executor : {"serial", "asio_coro"}) {
    const std::string name =
        std::string("floor/") + executor + "/chefs:3/customers:10000/process_time";
    ASSERT_TRUE(rows.contains(name)) << name << "\n" << run.output.substr(0, 600);
    const nlohmann::json& row = rows[name];
    ASSERT_FALSE(row.value("error_occurred", false)) << row.dump();
    const double floor = row["us_per_dish"].get<double>();
    const double kitchen = row["kitchen_us_per_dish"].get<double>();
    EXPECT_GT(floor, 0) << executor;
    EXPECT_GT(kitchen, 0) << executor;
    // The ratio is of the two walls this repetition measured, not of anything else.
    EXPECT_NEAR(row["kitchen_over_floor"].get<double>(), kitchen / floor, 1e-9 * kitchen / floor)
        << executor;
  }
}

TEST(mechanisms_registration, MemoryNeedsToBeAskedFor) {
  const BenchRun cheap = run_bench("--benchmark_filter='^spawn/' --benchmark_list_tests");
  ASSERT_EQ(cheap.status, 0);
  EXPECT_TRUE(lists(cheap, "spawn/coro"));
  const BenchRun all = run_bench("--benchmark_filter='.' --benchmark_list_tests");
  ASSERT_EQ(all.status, 0);
  EXPECT_EQ(all.output.find("memory/"), std::string::npos);
  const BenchRun asked =
      run_bench("--mechanisms --benchmark_filter='^memory/' --benchmark_list_tests");
  ASSERT_EQ(asked.status, 0);
  EXPECT_TRUE(lists(asked, "memory/coro/tasks:1000"));
}

TEST(mechanisms_registration, MaxThreadsAddsItsOwnRow) {
  const BenchRun run = run_bench(
      "--benchmark_filter='^memory/thread/' --max-threads=20000 "
      "--benchmark_list_tests");
  ASSERT_EQ(run.status, 0);
  EXPECT_TRUE(lists(run, "memory/thread/tasks:20000"));
  EXPECT_TRUE(lists(run, "memory/thread/tasks:10000"));
}

// The process a memory row starts for its population: it measures when the
// memory rows are registered and exits before any row runs, its samples on the
// pipe it was given (here stdout) and no report.
TEST(mechanisms_registration, AMemoryChildReportsItsSamplesAndNoRows) {
  const BenchRun run = run_bench("--benchmark_filter='^memory/coro/tasks:1000/'",
                                 "export KITCHEN_MEMORY_CHILD=coro:1000:1;");
  ASSERT_EQ(run.status, 0) << run.output;
  std::istringstream lines(run.output);
  std::string line;
  int samples = 0;
  bool woken = false;
  while (std::getline(lines, line)) {
    if (line.rfind("sample ", 0) == 0) {
      ++samples;
    } else if (line == "woken 1000") {
      woken = true;
    } else {
      ADD_FAILURE() << "unexpected line: " << line;
    }
  }
  // Before the first task, then after each of the four steps
  EXPECT_EQ(samples, 5) << run.output;
  EXPECT_TRUE(woken) << run.output;
  EXPECT_EQ(
      run_bench("--benchmark_filter=memory 2>/dev/null", "export KITCHEN_MEMORY_CHILD=x;").status,
      2);
}

TEST(mechanisms_registration, BadTaskStateBytesIsAUsageError) {
  EXPECT_EQ(run_bench("--task-state-bytes=lots --benchmark_list_tests 2>/dev/null").status, 2);
  EXPECT_EQ(run_bench("--task-state-bytes=2000000 --benchmark_list_tests 2>/dev/null").status, 2);
  EXPECT_EQ(run_bench("--mechanisms=yes --benchmark_list_tests 2>/dev/null").status, 2);
}

}  // namespace
}  // namespace kitchen::bench::bench_run
