// No allocation per fetch on the client's hot path, blocking or asynchronous: counted by
// replacing the global operator new for this test program.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <new>

#include "pantry/async_connection.hpp"
#include "pantry/helpers.hpp"

namespace {
std::atomic<std::uint64_t> g_allocations{0};
}

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace kitchen {
namespace {

using boost::asio::awaitable;
using std::chrono::microseconds;

TEST(PantryAllocation, TheCountSeesAnAllocation) {
  const std::uint64_t before = g_allocations.load();
  auto* volatile p = new int(1);
  delete p;
  EXPECT_EQ(g_allocations.load() - before, 1u);
}

TEST(PantryAllocation, ABlockingFetchAllocatesNothing) {
  testing::LoggedServer server;
  pantry::PantryConnection connection(server.port(), 0);
  connection.fetch(0, microseconds(10));
  const std::uint64_t before = g_allocations.load();
  for (std::uint32_t i = 0; i < 200; ++i) connection.fetch(i, microseconds(10));
  EXPECT_EQ(g_allocations.load() - before, 0u);
}

awaitable<void> fetch_counting(pantry::AsyncPantryConnection& connection, std::uint64_t& during) {
  // Warm: Asio keeps the memory of the first fetch's operations for the next ones.
  for (std::uint32_t i = 0; i < 5; ++i) co_await pantry::fetch(connection, i, microseconds(10));
  const std::uint64_t before = g_allocations.load();
  for (std::uint32_t i = 0; i < 200; ++i) co_await pantry::fetch(connection, i, microseconds(10));
  during = g_allocations.load() - before;
}

TEST(PantryAllocation, AnAsynchronousFetchAllocatesNothing) {
  testing::LoggedServer server;
  boost::asio::io_context loop(1);
  pantry::AsyncPantryConnection connection(loop.get_executor(), server.port(), 0);
  std::uint64_t during = 1;
  boost::asio::co_spawn(loop, fetch_counting(connection, during), boost::asio::detached);
  loop.run();
  EXPECT_EQ(during, 0u);
}

}  // namespace
}  // namespace kitchen
