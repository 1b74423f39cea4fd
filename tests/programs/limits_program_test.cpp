// A sweep point that cannot have its threads ends as an error row naming the limit; the sweep
// goes on with the next rows and the program exits 0.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "programs/run_program.hpp"

namespace kitchen {
namespace {

TEST(LimitsProgram, AThreadLimitEndsOneRowAndTheSweepGoesOn) {
  const testing::Run run = testing::run_program(
      "bench_kitchen", {"--executors=threads_per_order,asio_coro", "--profiles=overhead",
                        "--chefs=2", "--customers=100,5", "--max-threads=10",
                        "--benchmark_format=json", "--benchmark_min_time=0.01"});
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

}  // namespace
}  // namespace kitchen
