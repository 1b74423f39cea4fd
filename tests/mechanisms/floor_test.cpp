// The executors' floors check their own answer: each serves every order exactly once, and a
// service that lost or repeated an order is caught. Suites are named mechanisms_* so that
// `ctest -R mechanisms` selects them.
#include "mechanisms/floor.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "executors/catalogue.hpp"

namespace kitchen::bench {
namespace {

TEST(mechanisms_floor, EveryExecutorHasItsFloorInCatalogueOrder) {
  ASSERT_EQ(floors().size(), kCatalogue.size());
  for (std::size_t i = 0; i < kCatalogue.size(); ++i) {
    EXPECT_EQ(floors()[i].executor, kCatalogue[i].name);
  }
}

TEST(mechanisms_floor, EachFloorServesEveryOrderExactlyOnceServiceAfterService) {
  FloorKitchen kitchen(kFloorChefs, 300, 7);
  for (const Floor& floor : floors()) {
    for (int service = 0; service < 2; ++service) {
      floor.serve(kitchen);
      EXPECT_EQ(kitchen.check(), std::nullopt) << floor.executor;
      kitchen.reset();
    }
  }
}

TEST(mechanisms_floor, AnOrderServedTwiceOrNeverIsCaught) {
  FloorKitchen kitchen(kFloorChefs, 4, 1);
  EXPECT_EQ(kitchen.check(), "0 of 4 orders served exactly once");
  for (std::uint32_t order = 0; order < 4; ++order) kitchen.served(order);
  EXPECT_EQ(kitchen.check(), std::nullopt);
  kitchen.served(2);
  EXPECT_EQ(kitchen.check(), "3 of 4 orders served exactly once");
  kitchen.reset();
  EXPECT_EQ(kitchen.check(), "0 of 4 orders served exactly once");
}

TEST(mechanisms_floor, MoreOrdersInPreparationThanChefsIsCaught) {
  FloorKitchen kitchen(kFloorChefs, 4, 1);
  for (std::uint32_t order = 0; order < 4; ++order) kitchen.begin(order % kFloorChefs);
  for (std::uint32_t order = 0; order < 4; ++order) kitchen.served(order);
  EXPECT_EQ(kitchen.check(), "4 orders in preparation at once, over the 3 chefs");
  kitchen.reset();
  // One at a time is within the limit.
  for (std::uint32_t order = 0; order < 4; ++order) {
    kitchen.begin(0);
    kitchen.served(order);
  }
  EXPECT_EQ(kitchen.check(), std::nullopt);
}

TEST(mechanisms_floor, AChefOutsideTheServiceIsCaught) {
  FloorKitchen kitchen(kFloorChefs, 2, 1);
  kitchen.begin(kFloorChefs);
  kitchen.served(0);
  kitchen.begin(1);
  kitchen.served(1);
  EXPECT_EQ(kitchen.check(), "an order was cooked by a chef id outside 0..2");
}

// The floor row's other side: the executor itself serves the floor's orders, is timed, and
// leaves the shared stock as the floor needs it, service after service.
TEST(mechanisms_floor, EachKitchenServesTheFloorsOrdersAndTheFloorStillChecksAfterIt) {
  for (const Floor& floor : floors()) {
    FloorKitchen kitchen(kFloorChefs, 300, 11);
    const bool found = visit_executor(floor.executor, [&]<Executor E>() {
      E executor(kitchen.staffing);
      for (int service = 0; service < 2; ++service) {
        std::chrono::steady_clock::duration wall{};
        EXPECT_EQ(serve_kitchen(executor, kitchen, wall), std::nullopt) << floor.executor;
        EXPECT_GT(wall.count(), 0) << floor.executor;
        floor.serve(kitchen);
        EXPECT_EQ(kitchen.check(), std::nullopt) << floor.executor;
        kitchen.reset();
      }
    });
    EXPECT_TRUE(found) << floor.executor;
  }
}

// The threads that cooked a step, from the trace every Cooking emits.
struct Cooks {
  std::mutex mutex;
  std::set<std::thread::id> threads;
  Trace trace{&Cooks::emit, this};

  static void emit(void* self, const TraceEvent& e) {
    if (e.step != Step::kCooked) return;
    auto& cooks = *static_cast<Cooks*>(self);
    const std::lock_guard lock(cooks.mutex);
    cooks.threads.insert(std::this_thread::get_id());
  }
};

TEST(mechanisms_floor, TheOffloadFloorCooksOnItsPoolAndTheCoroutineFloorOnItsLoop) {
  FloorKitchen kitchen(kFloorChefs, 200, 3);
  Cooks on_pool;
  kitchen.service.trace = &on_pool.trace;
  floor_asio_offload(kitchen);
  ASSERT_EQ(kitchen.check(), std::nullopt);
  EXPECT_GE(on_pool.threads.size(), 1u);
  // The loop runs on the calling thread, which never cooks.
  EXPECT_EQ(on_pool.threads.count(std::this_thread::get_id()), 0u);
  kitchen.reset();
  Cooks on_loop;
  kitchen.service.trace = &on_loop.trace;
  floor_asio_coro(kitchen);
  ASSERT_EQ(kitchen.check(), std::nullopt);
  EXPECT_EQ(on_loop.threads, std::set{std::this_thread::get_id()});
}

TEST(mechanisms_floor, TheFloorsAreStaffedAsTheKitchenRowsAre) {
  // --loop-threads=1: the multi-threaded loop's floor runs on the calling thread alone.
  Staffing one_loop_thread;
  one_loop_thread.loop_threads = 1;
  FloorKitchen kitchen(kFloorChefs, 200, 3, one_loop_thread);
  Cooks on_loop;
  kitchen.service.trace = &on_loop.trace;
  floor_asio_coro_mt(kitchen);
  ASSERT_EQ(kitchen.check(), std::nullopt);
  EXPECT_EQ(on_loop.threads, std::set{std::this_thread::get_id()});

  // --max-threads below a thread per order: refused before a thread starts, as the kitchen
  // row's admission refuses it.
  Staffing few_threads;
  few_threads.max_threads = 10;
  FloorKitchen refused(kFloorChefs, 200, 3, few_threads);
  EXPECT_THROW(floor_threads_per_order(refused), ResourceLimitError);
  EXPECT_EQ(refused.check(), "0 of 200 orders served exactly once");
}

}  // namespace
}  // namespace kitchen::bench
