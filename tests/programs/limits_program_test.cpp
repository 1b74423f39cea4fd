// A sweep point that cannot have its threads ends as an error row naming the
// limit; the sweep goes on with the next rows and the program exits 0.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "programs/run_program.hpp"

namespace kitchen {
namespace {

TEST(LimitsProgram, AThreadLimitEndsOneRowAndTheSweepGoesOn) {
  const testing::Run run = testing::run_program(
      "bench_kitchen",
      {"--executors=threads_per_order,asio_coro", "--profiles=overhead", "--chefs=2",
       "--customers=100,5", "--max-threads=10", "--benchmark_format=json",
       "--benchmark_min_time=0.01", "--benchmark_repetitions=1"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto rows = nlohmann::json::parse(run.out).at("benchmarks");
  ASSERT_EQ(rows.size(), 4u);
  for (const auto& row : rows) {
    const std::string name = row.at("name");
    const bool over_limit = name.find("threads_per_order") != std::string::npos &&
                            name.find("customers:100/") != std::string::npos;
    EXPECT_EQ(row.value("error_occurred", false), over_limit) << name;
    if (over_limit) {
      EXPECT_EQ(row.at("error_message"),
                "threads_per_order needs 100 threads, more than --max-threads=10");
    } else {
      EXPECT_GT(row.at("dishes_per_s").get<double>(), 0) << name;
    }
  }
}

// The OS itself refusing a thread part-way through a service (here: too little
// address space for 1,000 stacks of 8 MiB): the row ends as an error naming the
// refusal, the threads already started finish and are joined, and the program
// goes on to exit 0.
TEST(LimitsProgram, AnOsRefusalMidServiceEndsTheRowAndTheProgramExitsZero) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "a sanitizer's shadow memory needs more address space than "
                  "the limit allows";
#endif
  const testing::Run run = testing::run_under_limit(
      "-v 1500000", "bench_kitchen",
      "--executors=threads_per_order --profiles=io --chefs=2 --customers=1000"
      " --benchmark_format=json --benchmark_repetitions=1 --benchmark_min_time=0.01");
  ASSERT_EQ(run.exit_code, 0) << "signal " << run.signal;
  const auto rows = nlohmann::json::parse(run.out).at("benchmarks");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].value("error_occurred", false)) << rows[0].dump();
  EXPECT_NE(rows[0].value("error_message", "").find("the OS refused thread"), std::string::npos)
      << rows[0].dump();
}

}  // namespace
}  // namespace kitchen
