#include "os/limits.hpp"

#include <gtest/gtest.h>

#include "executors/catalogue.hpp"
#include "kitchen/orders.hpp"

namespace kitchen {
namespace {

TEST(ThreadsPerOrder, RefusesAServiceOverItsThreadLimitBeforeStartingAny) {
  const auto orders = make_orders(20, 1);
  const Service s(orders, {}, 2);
  Staffing staffing;
  staffing.max_threads = 10;
  ThreadsPerOrder executor(staffing);
  const std::int64_t before = os::current_threads();
  try {
    admit(executor, s);
    FAIL() << "a service of 20 orders with --max-threads=10 was served";
  } catch (const ResourceLimitError& e) {
    EXPECT_NE(std::string(e.what()).find("needs 20 threads, more than --max-threads=10"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(os::current_threads(), before);
}

TEST(ThreadsPerOrder, ServesUpToItsThreadLimit) {
  const auto orders = make_orders(10, 1);
  const Service s(orders, {}, 2);
  Staffing staffing;
  staffing.max_threads = 10;
  staffing.stack_bytes = 64 * 1024;
  ThreadsPerOrder executor(staffing);
  EXPECT_NO_THROW(admit(executor, s));
  EXPECT_EQ(executor.serve(s).check(), std::nullopt);
}

// Every executor that starts a thread per chef checks its budget too.
TEST(ThreadBudget, PoolsOverTheirLimitAreRefused) {
  const auto orders = make_orders(50, 1);
  const Service s(orders, {}, 20);
  Staffing staffing;
  staffing.max_threads = 10;
  EXPECT_THROW(admit(ThreadsPool(staffing), s), ResourceLimitError);
  EXPECT_THROW(admit(AsioOffload(staffing), s), ResourceLimitError);
  // One thread, nothing to check
  EXPECT_NO_THROW(admit(AsioCoro(staffing), s));
}

TEST(ThreadLimits, AreReadFromTheSystem) {
  const os::ThreadLimits l = os::read_thread_limits();
  EXPECT_GT(l.pid_max, 0);
  EXPECT_GT(l.threads_max, 0);
  const os::ThreadBudget budget = os::thread_budget(l);
  EXPECT_GT(budget.threads, 0);
  EXPECT_FALSE(budget.limit.empty());
  EXPECT_GT(os::current_threads(), 0);
}

}  // namespace
}  // namespace kitchen
