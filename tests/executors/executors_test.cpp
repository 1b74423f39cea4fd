// Every executor, held to the same contract: every order served exactly once
// with the same results in the same order, never more dishes in preparation
// than chefs, and real overlap of the waits. Timing is asserted only with
// generous bounds: these machines are shared and noisy.
#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "executors/typed_executors.hpp"
#include "kitchen/arrivals.hpp"
#include "kitchen/census.hpp"
#include "kitchen/orders.hpp"
#include "os/cores.hpp"
#include "os/limits.hpp"

namespace kitchen {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

template <class E>
class ExecutorTest : public ::testing::Test {
 protected:
  Ledger serve(const Service& service) { return serve_with<E>(service); }
};

TYPED_TEST_SUITE(ExecutorTest, AllExecutorTypes, ExecutorNames);

// The reference: each order cooked on its own, one after another, by driving
// the model directly.
std::vector<std::uint64_t> reference_checksums(const Service& s) {
  std::vector<std::uint64_t> sums;
  for (std::uint32_t i = 0; i < s.customers(); ++i) {
    Cooking c(s, i, 0);
    while (!c.done()) c.step();
    sums.push_back(c.checksum());
  }
  return sums;
}

TYPED_TEST(ExecutorTest, ServesEveryOrderOnceWithTheReferenceResultsInOrder) {
  const auto orders = make_orders(57, 11);
  const Service s(orders, {microseconds(50), microseconds(20)}, 4);
  const Ledger ledger = this->serve(s);
  ASSERT_EQ(ledger.check(), std::nullopt);
  const auto expected = reference_checksums(s);
  ASSERT_EQ(ledger.records().size(), orders.size());
  for (std::uint32_t i = 0; i < orders.size(); ++i) {
    EXPECT_EQ(ledger.records()[i].checksum, expected[i]) << "order " << i;
    EXPECT_EQ(ledger.result(i), menu()[orders[i].dish].result);
    EXPECT_GE(ledger.records()[i].ended_ns, ledger.records()[i].started_ns);
  }
}

// No waits and no work: every hand-over is back to back. A few hundred orders pass every chef
// many of them.
TYPED_TEST(ExecutorTest, ServesOnTheOverheadProfileToo) {
  const auto orders = make_orders(200, 5);
  const Service s(orders, {}, 3);
  const Ledger ledger = this->serve(s);
  EXPECT_EQ(ledger.check(), std::nullopt);
  EXPECT_LE(ledger.peak_in_preparation(), 3);
}

TYPED_TEST(ExecutorTest, ServesASingleOrderWithManyChefs) {
  const auto orders = make_orders(1, 9);
  const Service s(orders, {microseconds(100), microseconds(10)}, 50);
  const Ledger ledger = this->serve(s);
  EXPECT_EQ(ledger.check(), std::nullopt);
  EXPECT_EQ(ledger.peak_in_preparation(), 1);
}

// Waiting dominates, so every chef should be busy at once: the peak reaches
// min(chefs, customers) and never passes chefs. (asio_blocking: one at a time.)
TYPED_TEST(ExecutorTest, KeepsEveryChefBusyOnAnIoBoundService) {
  for (const auto& [chefs, customers] : {std::pair{3u, 12u}, std::pair{8u, 5u}}) {
    const auto orders = make_orders(customers, 2);
    const Service s(orders, {milliseconds(10), microseconds(0)}, chefs);
    const Ledger ledger = this->serve(s);
    ASSERT_EQ(ledger.check(), std::nullopt);
    const int expected = kOverlaps<TypeParam> ? static_cast<int>(std::min(chefs, customers)) : 1;
    EXPECT_EQ(ledger.peak_in_preparation(), expected)
        << chefs << " chefs, " << customers << " customers";
  }
}

// Holds, at every event of a service and on the thread the event comes from, the process's
// thread count (/proc/self/status) against the census's count of the moment. A thread is counted
// from the first line of its body to its last, so one that is just starting or ending is in /proc
// and not yet, or no longer, in the census: both are read again until the census counts at least
// as many (that thread has started, or gone), for up to 10 s (a thread the census never counts:
// missed). Keeps the most threads read at once.
struct ThreadReadings {
  std::atomic<std::int64_t> most{0};
  std::atomic<int> count{0};
  std::atomic<int> missed{0};
  Trace trace{&ThreadReadings::emit, this};

  static void emit(void* self, const TraceEvent&) {
    auto& r = *static_cast<ThreadReadings*>(self);
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::int64_t now = os::current_threads();
    while (now > census::counted_now()) {
      if (std::chrono::steady_clock::now() > give_up) {
        r.missed.fetch_add(1);
        break;
      }
      std::this_thread::yield();
      now = os::current_threads();
    }
    std::int64_t most = r.most.load();
    while (now > most && !r.most.compare_exchange_weak(most, now)) {
    }
    r.count.fetch_add(1);
  }
};

// The thread census against the process's own count, read inside the service at every step. The
// census misses no live thread: every reading agrees with it, and its peak is at least every
// reading. And it counts none that was not there: at most the threads alive when the service
// opened plus the most any executor starts (one per order, one per chef, or one per core).
TYPED_TEST(ExecutorTest, CountsTheThreadsThatExistedAndThoseThatCooked) {
  const auto orders = make_orders(4, 1);
  ThreadReadings readings;
  const Service s(orders, {milliseconds(1), microseconds(0)}, 2, &readings.trace);
  // A sanitizer's runtime may start a helper thread at the process's first thread (TSan does):
  // one is started and joined now, and gone from /proc before the count is read, so that the
  // helper, if any, is among the threads alive at the opening.
  pid_t first = 0;
  std::thread([&first] { first = ::gettid(); }).join();
  const std::string first_task = "/proc/self/task/" + std::to_string(first);
  while (std::filesystem::exists(first_task)) std::this_thread::yield();
  const std::int64_t before = os::current_threads();
  census::recount_baseline();
  const Ledger ledger = this->serve(s);
  ASSERT_EQ(ledger.check(), std::nullopt);
  ASSERT_GT(readings.count.load(), 0);
  EXPECT_EQ(readings.missed.load(), 0);
  const auto os_threads = static_cast<std::int64_t>(ledger.os_threads());
  EXPECT_GE(os_threads, readings.most.load());
  const std::int64_t most_started =
      std::max<std::int64_t>({static_cast<std::int64_t>(orders.size()), s.chefs,
                              static_cast<std::int64_t>(os::usable_cores())});
  EXPECT_LE(os_threads, before + most_started);
  EXPECT_GE(ledger.cooking_threads(), 1u);
  EXPECT_LE(ledger.cooking_threads(), ledger.os_threads());
  // Nothing cooks on a thread that is not counted, and one dish at a time
  // needs no more than one cooking thread.
  if constexpr (!kOverlaps<TypeParam>) {
    EXPECT_EQ(ledger.cooking_threads(), 1u);
  }
}

// Open loop: orders arrive over time and each executor takes them as they come
// (the ledger refuses a start before an arrival); every order is handed over
// at or after its time, none is lost, and the last cannot end before it arrived.
TYPED_TEST(ExecutorTest, ServesAnOpenLoopAsTheOrdersArrive) {
  const auto orders = make_orders(24, 5);
  Service s(orders, {microseconds(500), microseconds(20)}, 3);
  const auto arrivals = plan_arrivals(orders.size(), 2000, ArrivalPattern::kPoisson, 5);
  s.arrivals = arrivals;
  const Ledger ledger = this->serve(s);
  ASSERT_EQ(ledger.check(), std::nullopt);
  EXPECT_EQ(ledger.count(Outcome::kServed), orders.size());
  for (std::uint32_t i = 0; i < orders.size(); ++i) {
    const OrderRecord& r = ledger.records()[i];
    EXPECT_GE(r.arrived_ns, ledger.open_ns() + arrivals[i].count()) << "order " << i;
    EXPECT_GE(r.started_ns, r.arrived_ns) << "order " << i;
  }
  EXPECT_GE(ledger.makespan_ns(), ledger.open_ns() + arrivals.back().count());
  EXPECT_GE(ledger.arrival_lag_ns(0.99), 0);
}

// The run-queue wait is what the kernel counted, carried to the ledger: four chefs that only
// compute, all pinned to one CPU (threads inherit the affinity of the thread that starts them),
// cannot all run at once, so at least three of them wait on the run queue at some point.
TEST(RunQueue, ThreadsThatShareOneCpuReportTheirWaitForIt) {
  cpu_set_t before;
  ASSERT_EQ(sched_getaffinity(0, sizeof before, &before), 0);
  cpu_set_t one;
  CPU_ZERO(&one);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &before)) {
      CPU_SET(cpu, &one);
      break;
    }
  }
  ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
  const auto orders = make_orders(8, 4);
  const Service s(orders, {microseconds(0), milliseconds(2)}, 4);
  const Ledger ledger = serve_with<ThreadsChefs>(s);
  ASSERT_EQ(sched_setaffinity(0, sizeof before, &before), 0);
  ASSERT_EQ(ledger.check(), std::nullopt);
  EXPECT_EQ(ledger.cooking_threads(), 4u);
  EXPECT_GT(ledger.runqueue_wait_ns(), 0);
}

TEST(Catalogue, NamesEveryExecutorOnceWithAPairOfTheOtherSide) {
  EXPECT_EQ(kExecutorNames.size(), std::tuple_size_v<AllExecutors>);
  for (const Listing& e : kCatalogue) {
    int seen = 0;
    EXPECT_TRUE(visit_executor(e.name, [&]<Executor E>() { seen += name_of<E>() == e.name; }));
    EXPECT_EQ(seen, 1) << e.name;
    EXPECT_TRUE(e.side == "threads" || e.side == "async" || e.side == "fibers" ||
                e.side == "baseline")
        << e.name;
    for (const std::string_view named : {e.pair, e.also_pair}) {
      if (named.empty()) continue;
      const Listing* pair = nullptr;
      for (const Listing& other : kCatalogue) {
        if (other.name == named) pair = &other;
      }
      ASSERT_NE(pair, nullptr) << e.name << "'s pair " << named << " is not in the catalogue";
      EXPECT_NE(pair->side, e.side) << e.name << " is paired with its own side";
    }
    // A second pair only beside a first, of another side than both.
    if (!e.also_pair.empty()) {
      EXPECT_FALSE(e.pair.empty()) << e.name;
    }
  }
  EXPECT_FALSE(visit_executor("nope", []<Executor E>() {}));
}

TEST(Catalogue, WritesItselfAsJsonForTheContext) {
  const auto list = nlohmann::json::parse(catalogue_json());
  ASSERT_EQ(list.size(), kCatalogue.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    EXPECT_EQ(list[i]["name"], std::string(kCatalogue[i].name));
    EXPECT_EQ(list[i]["language"], "C++");
    // Counted by CMake from the executor's own .cpp.
    EXPECT_GT(list[i]["source_lines"].get<int>(), 10) << kCatalogue[i].name;
    // kitchen advise models every executor that keeps several dishes in preparation, from what
    // its entry says a dish pays; the others it leaves out.
    EXPECT_EQ(list[i]["paid"].is_null(), kCatalogue[i].one_at_a_time) << kCatalogue[i].name;
  }
  // A list holds one name per occurrence: asio_offload's two hand-overs a step are two.
  const auto offload = std::find_if(list.begin(), list.end(),
                                    [](const auto& e) { return e["name"] == "asio_offload"; });
  ASSERT_NE(offload, list.end());
  EXPECT_EQ((*offload)["paid"]["per_step"], nlohmann::json({"thread_cv", "thread_cv"}));
  EXPECT_EQ((*offload)["paid"]["memory"], nlohmann::json({"coro", "thread"}));
  EXPECT_EQ((*offload)["paid"]["per_order"], nlohmann::json::array());
}

}  // namespace
}  // namespace kitchen
