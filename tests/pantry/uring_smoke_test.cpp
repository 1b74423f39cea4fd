// The io_uring build of the client: its io_context runs on io_uring (strace sees io_uring_enter,
// no epoll_wait), or the test says why io_uring is refused here and skips.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "pantry/async_connection.hpp"
#include "pantry/pantry_process.hpp"
#include "pantry/uring_probe.hpp"

namespace kitchen {
namespace {

using boost::asio::awaitable;

static_assert(pantry::asio_reactor() == "io_uring", "this test is built for Asio on io_uring");

awaitable<void> fetch_many(pantry::AsyncPantryConnection& connection, int count) {
  for (int i = 0; i < count; ++i) {
    co_await pantry::fetch(connection, static_cast<std::uint32_t>(i),
                           std::chrono::microseconds(50));
  }
}

TEST(PantryUring, FetchesOverIoUringOrSaysWhyNot) {
  if (const auto refusal = pantry::io_uring_refusal()) GTEST_SKIP() << *refusal;
  pantry::PantryProcess server;
  boost::asio::io_context loop(1);
  auto connections = pantry::open_async_connections(loop.get_executor(), server.port(), 4);
  for (auto& connection : connections) {
    boost::asio::co_spawn(loop, fetch_many(connection, 100), boost::asio::detached);
  }
  loop.run();
  for (const auto& connection : connections) {
    EXPECT_EQ(connection.traffic().requests, 100u);
    EXPECT_EQ(connection.traffic().bytes_received, 100u * (24 + 64));
  }
}

}  // namespace
}  // namespace kitchen
