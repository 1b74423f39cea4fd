// The memory family, run for real through bench_kitchen at a small scale:
// figures come out positive and finite, task state is counted, and a thread
// limit ends a row as an error with every started thread joined while the
// process goes on and exits 0. Figures are checked for sign and rough size
// only: they are this machine's, not the test's. Suites are named mechanisms_*
// so that `ctest -R mechanisms` selects them.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <initializer_list>
#include <sstream>
#include <string>

#include "mechanisms/slab.hpp"
#include "run_bench.hpp"

namespace kitchen::bench::bench_run {
namespace {

bool positive_finite(const nlohmann::json& row, const char* counter) {
  return row.contains(counter) && std::isfinite(row[counter].get<double>()) &&
         row[counter].get<double>() > 0;
}

// The error message says how many threads the process has once the row's are
// joined: its own one, and under ThreadSanitizer also the sanitizer's.
void expect_back_to_one_thread(const std::string& message) {
#if defined(__SANITIZE_THREAD__)
  const char* const expected = "threads in process now: 2)";
#else
  const char* const expected = "threads in process now: 1)";
#endif
  EXPECT_NE(message.find(expected), std::string::npos) << message;
}

// Runs bench_kitchen once on the memory rows `arguments` select, with JSON
// output, into `rows` by name; fails when it does not exit 0 or a row of
// `names` is missing. Call it under ASSERT_NO_FATAL_FAILURE.
void run_rows(const std::string& arguments, std::initializer_list<const char*> names,
              nlohmann::json& rows, const std::string& shell_before = "",
              const std::string& runner = "") {
  const BenchRun run = run_bench(arguments + " --benchmark_format=json --benchmark_repetitions=1",
                                 shell_before, runner);
  ASSERT_EQ(run.status, 0) << run.output;
  rows = rows_by_name(run);
  for (const char* name : names) ASSERT_TRUE(rows.contains(name)) << name << "\n" << run.output;
}

TEST(mechanisms_memory, ThousandCoroutinesAndHundredThreadsGivePositiveFigures) {
  nlohmann::json rows;
  ASSERT_NO_FATAL_FAILURE(
      run_rows("--benchmark_filter='^memory/(coro/tasks:1000|thread/tasks:100)/'",
               {"memory/coro/tasks:1000", "memory/thread/tasks:100"}, rows));
  const nlohmann::json& coro = rows["memory/coro/tasks:1000"];
  const nlohmann::json& thread = rows["memory/thread/tasks:100"];
  EXPECT_FALSE(coro.value("error_occurred", false)) << coro.dump();
  EXPECT_FALSE(thread.value("error_occurred", false)) << thread.dump();
  EXPECT_TRUE(positive_finite(coro, "bytes_per_task")) << coro.dump();
  EXPECT_TRUE(coro.contains("kernel_bytes_per_task") &&
              std::isfinite(coro["kernel_bytes_per_task"].get<double>()))
      << coro.dump();
  EXPECT_TRUE(positive_finite(thread, "bytes_per_task")) << thread.dump();
  EXPECT_TRUE(positive_finite(thread, "kernel_bytes_per_task")) << thread.dump();
  // Resident pages touched, never the stack's reservation (8 MiB by default).
  // ThreadSanitizer gives every thread megabytes of its own state, so the bound
  // says nothing under it.
#if !defined(__SANITIZE_THREAD__)
  EXPECT_LT(thread["bytes_per_task"].get<double>(), 1 << 20) << thread.dump();
#endif
  EXPECT_EQ(thread["tasks"].get<double>(), 100);
}

bool finite(const nlohmann::json& row, const char* counter) {
  return row.contains(counter) && std::isfinite(row[counter].get<double>());
}

// The parts a row adds into its total, each present, and the total their sum.
// The slab share is either a figure or, where /proc/slabinfo cannot be read, a
// flag and a label saying why, never both.
void expect_total_of_parts(const nlohmann::json& row) {
  for (const char* counter :
       {"bytes_per_task", "kernel_bytes_per_task", "pte_bytes_per_task", "total_bytes_per_task"}) {
    EXPECT_TRUE(finite(row, counter)) << counter << " " << row.dump();
  }
  const bool slab = row.contains("slab_bytes_per_task");
  EXPECT_NE(slab, row.contains("slab_unreadable")) << row.dump();
  if (!slab) {
    EXPECT_NE(row.value("label", "").find("no task_struct slab share ("), std::string::npos)
        << row.dump();
  }
  const double parts = row["bytes_per_task"].get<double>() +
                       row["kernel_bytes_per_task"].get<double>() +
                       row["pte_bytes_per_task"].get<double>() +
                       (slab ? row["slab_bytes_per_task"].get<double>() : 0.0);
  EXPECT_NEAR(row["total_bytes_per_task"].get<double>(), parts, 1e-6 * std::abs(parts) + 1e-6)
      << row.dump();
  ASSERT_TRUE(finite(row, "r2")) << row.dump();
  EXPECT_GE(row["r2"].get<double>(), 0.0) << row.dump();
  EXPECT_LE(row["r2"].get<double>(), 1.0 + 1e-12) << row.dump();
}

TEST(mechanisms_memory, RowsCarryTheirPartsTheirTotalAndItsR2) {
  const std::initializer_list<const char*> names = {
      "memory/coro/tasks:1000", "memory/thread/tasks:100", "memory/thread_small_stack/tasks:100"};
  nlohmann::json rows;
  ASSERT_NO_FATAL_FAILURE(
      run_rows("--benchmark_filter='^memory/(coro/tasks:1000|thread/tasks:100|thread_small_stack/"
               "tasks:100)/'",
               names, rows));
  for (const char* name : names) {
    const nlohmann::json& row = rows[name];
    ASSERT_FALSE(row.value("error_occurred", false)) << row.dump();
    expect_total_of_parts(row);
  }
  // A coroutine has no task_struct of its own: its share is 0, not unread.
  EXPECT_EQ(rows["memory/coro/tasks:1000"].value("slab_bytes_per_task", -1.0), 0.0);
}

// Without root /proc/slabinfo cannot be opened: the thread row then says so
// instead of reporting a share.
TEST(mechanisms_memory, AnUnreadableSlabIsStatedNotZero) {
  if (geteuid() != 0) GTEST_SKIP() << "not root: every thread row already runs without the slab";
  nlohmann::json rows;
  ASSERT_NO_FATAL_FAILURE(run_rows("--benchmark_filter='^memory/thread/tasks:100/'",
                                   {"memory/thread/tasks:100"}, rows, "cd /;",
                                   "setpriv --reuid=65534 --regid=65534 --clear-groups"));
  const nlohmann::json& row = rows["memory/thread/tasks:100"];
  ASSERT_FALSE(row.value("error_occurred", false)) << row.dump();
  EXPECT_FALSE(row.contains("slab_bytes_per_task")) << row.dump();
  EXPECT_EQ(row.value("slab_unreadable", 0.0), 1.0) << row.dump();
  EXPECT_NE(row.value("label", "").find("/proc/slabinfo: Permission denied"), std::string::npos)
      << row.dump();
  expect_total_of_parts(row);
}

TEST(mechanisms_memory, TheSlabLineIsActiveObjectsTimesTheirSize) {
  std::istringstream text(
      "slabinfo - version: 2.1\n"
      "# name <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : ...\n"
      "task_group 60 60 512 8 1 : tunables 0 0 0 : slabdata 8 8 0\n"
      "task_struct 117 125 5888 5 8 : tunables 0 0 0 : slabdata 25 25 0\n");
  const auto bytes = task_struct_bytes(text);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(*bytes, 117.0 * 5888);
  std::istringstream without("task_group 60 60 512 8 1 : tunables 0 0 0 : slabdata 8 8 0\n");
  EXPECT_FALSE(task_struct_bytes(without));
}

TEST(mechanisms_memory, AMissingSlabFileGivesItsReason) {
  const SlabReading reading = read_task_struct_slab("/nonexistent/slabinfo");
  EXPECT_NE(reading.why_not.find("/nonexistent/slabinfo: No such file or directory"),
            std::string::npos)
      << reading.why_not;
}

TEST(mechanisms_memory, TaskStateIsCountedPerTask) {
  nlohmann::json rows;
  ASSERT_NO_FATAL_FAILURE(
      run_rows("--benchmark_filter='^memory/coro/tasks:1000/' --task-state-bytes=65536",
               {"memory/coro/tasks:1000"}, rows));
  const nlohmann::json& coro = rows["memory/coro/tasks:1000"];
  ASSERT_TRUE(positive_finite(coro, "bytes_per_task")) << coro.dump();
  EXPECT_GT(coro["bytes_per_task"].get<double>(), 0.9 * 65536) << coro.dump();
  EXPECT_EQ(coro["task_state_bytes"].get<double>(), 65536);
}

TEST(mechanisms_memory, ThreadLimitEndsTheRowJoinsEveryThreadAndExitsZero) {
  nlohmann::json rows;
  ASSERT_NO_FATAL_FAILURE(
      run_rows("--benchmark_filter='^memory/thread/tasks:(50|100)/' --max-threads=50",
               {"memory/thread/tasks:50", "memory/thread/tasks:100"}, rows));
  // Under the limit: measured.
  const nlohmann::json& under = rows["memory/thread/tasks:50"];
  EXPECT_FALSE(under.value("error_occurred", false)) << under.dump();
  EXPECT_TRUE(positive_finite(under, "bytes_per_task")) << under.dump();
  // Over it: an error row naming the limit, after the 50 started threads were
  // joined (the process is back to its one thread).
  const nlohmann::json& over = rows["memory/thread/tasks:100"];
  ASSERT_TRUE(over.value("error_occurred", false)) << over.dump();
  const std::string message = over["error_message"].get<std::string>();
  EXPECT_NE(message.find("--max-threads=50"), std::string::npos) << message;
  EXPECT_NE(message.find("thread 51 was not started"), std::string::npos) << message;
  EXPECT_NE(message.find("the 50 threads started were woken and joined"), std::string::npos)
      << message;
  expect_back_to_one_thread(message);
}

// A limit the suite does not budget for: the address space (RLIMIT_AS, honoured
// even for root, unlike RLIMIT_NPROC) runs out after a couple of hundred 8 MiB
// stacks, and the OS itself refuses a thread.
TEST(mechanisms_memory, OsRefusalEndsTheRowJoinsEveryThreadAndExitsZero) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "a sanitizer's shadow memory needs more address space than "
                  "the limit allows";
#endif
  nlohmann::json rows;
  ASSERT_NO_FATAL_FAILURE(run_rows("--benchmark_filter='^memory/thread/tasks:10000/'",
                                   {"memory/thread/tasks:10000"}, rows, "ulimit -v 2000000;"));
  const nlohmann::json& row = rows["memory/thread/tasks:10000"];
  ASSERT_TRUE(row.value("error_occurred", false)) << row.dump();
  const std::string message = row["error_message"].get<std::string>();
  EXPECT_NE(message.find("the OS refused thread"), std::string::npos) << message;
  EXPECT_NE(message.find("RLIMIT_AS=2048000000"), std::string::npos) << message;
  EXPECT_NE(message.find("threads started were woken and joined"), std::string::npos) << message;
  expect_back_to_one_thread(message);
}

}  // namespace
}  // namespace kitchen::bench::bench_run
