// plan_rows: the kitchen rows a set of flags asks for, their names, their order, the segments
// that appear only when a setting differs from the default, the rows left out and the points
// refused, without registering or running anything.
#include "plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/flags.hpp"
#include "executors/catalogue.hpp"
#include "kitchen/arrivals.hpp"
#include "options.hpp"
#include "thrown.hpp"

namespace kitchen::bench {
namespace {

// Options as bench_kitchen reads them from its command line (words separated by spaces).
Options options(const std::string& flags) {
  std::vector<std::string> words = {"bench_kitchen"};
  std::istringstream in(flags);
  for (std::string word; in >> word;) words.push_back(word);
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  return parse_options(static_cast<int>(argv.size()), argv.data());
}

constexpr Machine kTwoCores{.cores = 2, .reactor = "epoll"};

std::vector<std::string> names(const std::string& flags, const Machine& machine = kTwoCores) {
  std::vector<std::string> all;
  for (const PlannedRow& row : plan_rows(options(flags), machine).rows) all.push_back(row.name);
  return all;
}

std::string refusal(const std::string& flags) {
  return testing::message_of<cli::UsageError>([&] { plan_rows(options(flags), kTwoCores); },
                                              "accepted");
}

TEST(Plan, NamesEachRowByExecutorProfileChefsAndCustomersInTheOrderGiven) {
  EXPECT_EQ(names("--executors=asio_coro,threads_pool --profiles=io --chefs=1,10 --customers=100"),
            (std::vector<std::string>{"kitchen/asio_coro/io/chefs:1/customers:100",
                                      "kitchen/threads_pool/io/chefs:1/customers:100",
                                      "kitchen/asio_coro/io/chefs:10/customers:100",
                                      "kitchen/threads_pool/io/chefs:10/customers:100"}));
}

TEST(Plan, CrossesCustomersOutsideChefs) {
  EXPECT_EQ(
      names("--executors=serial --profiles=cpu --chefs=1,2 --customers=1,3"),
      (std::vector<std::string>{
          "kitchen/serial/cpu/chefs:1/customers:1", "kitchen/serial/cpu/chefs:2/customers:1",
          "kitchen/serial/cpu/chefs:1/customers:3", "kitchen/serial/cpu/chefs:2/customers:3"}));
}

TEST(Plan, TheQuickSweepHasTwoCellsPerProfileForEveryExecutor) {
  const RowPlan plan = plan_rows(options("--quick"), kTwoCores);
  // io, cpu, mixed x {1 chef x 4, 4 chefs x 16} x every executor, none left out at these sizes.
  EXPECT_EQ(plan.rows.size(), 3u * 2u * kCatalogue.size());
  EXPECT_EQ(plan.left_out, 0);
  EXPECT_EQ(plan.rows.front().name, "kitchen/threads_pool/io/chefs:1/customers:4");
  EXPECT_EQ(plan.rows.back().name, "kitchen/serial/mixed/chefs:4/customers:16");
}

TEST(Plan, TheDefaultGridFollowsTheUsableCores) {
  const auto cpu_chefs = [](unsigned cores) {
    std::set<std::uint32_t> chefs;
    for (const PlannedRow& row :
         plan_rows(options("--profiles=cpu --executors=threads_pool"), {.cores = cores}).rows) {
      chefs.insert(row.point.chefs);
    }
    return chefs;
  };
  EXPECT_EQ(cpu_chefs(2), (std::set<std::uint32_t>{1, 2, 8}));
  EXPECT_EQ(cpu_chefs(4), (std::set<std::uint32_t>{1, 2, 4, 16}));
}

TEST(Plan, LeavesOutSlowOneDishAtATimeRowsOfTheBuiltInSweepOnly) {
  const RowPlan sweep = plan_rows(options("--profiles=io --executors=serial,asio_coro"), kTwoCores);
  EXPECT_GT(sweep.left_out, 0);
  for (const PlannedRow& row : sweep.rows) {
    // 10 orders of at most 6 ingredients of 1 ms take 60 ms: within the budget; 100 do not.
    if (row.executor == "serial") {
      EXPECT_LE(row.point.customers, 10u) << row.name;
    }
  }
  EXPECT_NE(left_out_note(sweep).find("left out " + std::to_string(sweep.left_out) + " rows"),
            std::string::npos);
  const RowPlan custom =
      plan_rows(options("--profiles=io --executors=serial --chefs=1 --customers=1000"), kTwoCores);
  EXPECT_EQ(custom.left_out, 0);
  EXPECT_EQ(custom.rows.size(), 1u);
  EXPECT_EQ(left_out_note(custom), "");
}

TEST(Plan, OptionalSegmentsAppearInTheirOrderOnlyWhenTheSettingDiffersFromTheDefault) {
  const std::string base = "--executors=asio_coro --profiles=io --chefs=2 --customers=10";
  EXPECT_EQ(names(base + " --io-us=5 --cpu-us=7").front(),
            "kitchen/asio_coro/io/chefs:2/customers:10/io_us:5/cpu_us:7");
  EXPECT_EQ(names(base + " --gil=on --pantry=unlocked --fail-rate=0.25 --fail-fast").front(),
            "kitchen/asio_coro/io/chefs:2/customers:10/gil/pantry:unlocked/fail_rate:0.25/"
            "fail_fast");
  EXPECT_EQ(names(base + " --pantry=unlocked_await").front(),
            "kitchen/asio_coro/io/chefs:2/customers:10/pantry:unlocked_await");
  EXPECT_EQ(
      names(base + " --arrival-rate=50 --arrivals=poisson --io=net --timer-slack=default").front(),
      "kitchen/asio_coro/io/chefs:2/customers:10/rate:50/arrivals:poisson/io:net/"
      "slack:default");
  EXPECT_EQ(names(base, {.cores = 2, .reactor = "io_uring"}).front(),
            "kitchen/asio_coro/io/chefs:2/customers:10/reactor:io_uring");
  // The defaults name nothing: locked pantry, no GIL, timers, 1 ns slack, a closed batch.
  EXPECT_EQ(names(base + " --gil=off --pantry=locked --io=timer --timer-slack=1ns").front(),
            "kitchen/asio_coro/io/chefs:2/customers:10");
}

TEST(Plan, NamesARateToTheWholeOrderFromOneUpAndToSixDecimalsBelow) {
  EXPECT_EQ(names("--executors=asio_coro --profiles=io --chefs=2 --customers=10 "
                  "--arrival-rate=0.5,2.4,1000"),
            (std::vector<std::string>{"kitchen/asio_coro/io/chefs:2/customers:10/rate:0.500000",
                                      "kitchen/asio_coro/io/chefs:2/customers:10/rate:2",
                                      "kitchen/asio_coro/io/chefs:2/customers:10/rate:1000"}));
}

TEST(Plan, CrossesGilThenIoThenSlackThenRateInsideEachCell) {
  EXPECT_EQ(names("--executors=asio_coro --profiles=io --chefs=2 --customers=10 --gil=off,on "
                  "--io=timer,net --timer-slack=1ns,default --arrival-rate=10,20"),
            (std::vector<std::string>{
                "kitchen/asio_coro/io/chefs:2/customers:10/rate:10",
                "kitchen/asio_coro/io/chefs:2/customers:10/rate:20",
                "kitchen/asio_coro/io/chefs:2/customers:10/rate:10/slack:default",
                "kitchen/asio_coro/io/chefs:2/customers:10/rate:20/slack:default",
                "kitchen/asio_coro/io/chefs:2/customers:10/rate:10/io:net",
                "kitchen/asio_coro/io/chefs:2/customers:10/rate:20/io:net",
                "kitchen/asio_coro/io/chefs:2/customers:10/rate:10/io:net/slack:default",
                "kitchen/asio_coro/io/chefs:2/customers:10/rate:20/io:net/slack:default",
                "kitchen/asio_coro/io/chefs:2/customers:10/gil/rate:10",
                "kitchen/asio_coro/io/chefs:2/customers:10/gil/rate:20",
                "kitchen/asio_coro/io/chefs:2/customers:10/gil/rate:10/slack:default",
                "kitchen/asio_coro/io/chefs:2/customers:10/gil/rate:20/slack:default",
                "kitchen/asio_coro/io/chefs:2/customers:10/gil/rate:10/io:net",
                "kitchen/asio_coro/io/chefs:2/customers:10/gil/rate:20/io:net",
                "kitchen/asio_coro/io/chefs:2/customers:10/gil/rate:10/io:net/slack:default",
                "kitchen/asio_coro/io/chefs:2/customers:10/gil/rate:20/io:net/slack:default"}));
}

TEST(Plan, APointCarriesEverySettingOfItsRow) {
  const RowPlan plan = plan_rows(
      options("--executors=threads_pool --profiles=mixed --chefs=3 --customers=7 --seed=9 "
              "--gil=on --gil-switch-us=100 --io=net --load=0.5"),
      kTwoCores);
  ASSERT_EQ(plan.rows.size(), 1u);
  const Point& p = plan.rows.front().point;
  EXPECT_EQ(p.profile, "mixed");
  EXPECT_EQ(p.chefs, 3u);
  EXPECT_EQ(p.customers, 7u);
  EXPECT_EQ(p.seed, 9u);
  EXPECT_TRUE(p.gil);
  EXPECT_EQ(p.gil_switch, std::chrono::microseconds(100));
  EXPECT_TRUE(p.net);
  EXPECT_FALSE(p.default_slack);
  // Half the point's ideal capacity, rounded to whole orders per second.
  EXPECT_EQ(p.rate, std::round(0.5 * ideal_capacity(p.costs, 3, 2)));
  EXPECT_EQ(plan.rows.front().executor, "threads_pool");
}

TEST(Plan, EveryRowOfTheDefaultSweepHasANameOfItsOwn) {
  const RowPlan plan = plan_rows(options("--io=timer,net --timer-slack=1ns,default"), kTwoCores);
  std::set<std::string> unique;
  for (const PlannedRow& row : plan.rows) unique.insert(row.name);
  EXPECT_EQ(unique.size(), plan.rows.size());
}

TEST(Plan, RefusesPointsTheKitchenCannotServeAsAsked) {
  EXPECT_EQ(refusal("--arrival-rate=0.0000011,0.0000012"),
            "--arrival-rate=0.0000011,0.0000012: 1.1e-06 and 1.2e-06 would both name rows "
            "/rate:0.000001 (a rate is named to the whole order per second from 1 up, to six "
            "decimals below); expected rates that differ in their names");
  EXPECT_NE(refusal("--profiles=overhead --arrival-rate=5")
                .find("--arrival-rate=5: the overhead profile's dishes cost nothing here"),
            std::string::npos);
  EXPECT_NE(refusal("--profiles=io --chefs=1 --customers=10 --load=0.001")
                .find("--load=0.001: a load of 0.001 at io with 1 chef (ideal capacity"),
            std::string::npos);
  EXPECT_NE(refusal("--profiles=io --chefs=10 --load=0.5,0.5001")
                .find("0.5 and 0.5001 both give 926 orders per second at io with 10 chefs"),
            std::string::npos);
  EXPECT_NE(refusal("--arrival-rate=0.000001 --customers=100000000 --profiles=io --chefs=1")
                .find("past the 146 years the clock counts from the opening"),
            std::string::npos);
  EXPECT_NE(refusal("--io-us=10000000 --cpu-us=10000000 --customers=100000000")
                .find("--customers=100000000: at 10000000 us to fetch and 10000000 us to cook"),
            std::string::npos);
  EXPECT_EQ(refusal("--profiles=io --chefs=1 --customers=10 --load=1"), "accepted");
}

}  // namespace
}  // namespace kitchen::bench
