// The asynchronous client an event-loop executor uses: from coroutines and from callbacks, with
// the blocking client's errors, timeout and naming.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <exception>
#include <thread>

#include "pantry/async_connection.hpp"
#include "pantry/helpers.hpp"

namespace kitchen {
namespace {

using boost::asio::awaitable;
using boost::asio::co_spawn;
using boost::asio::io_context;
using boost::system::error_code;
using pantry::AsyncPantryConnection;
using pantry::PantryError;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using Clock = std::chrono::steady_clock;

// The message of the exception a co_spawned coroutine ended with, or "".
struct Outcome {
  std::string error;
  bool done = false;
};

void record(Outcome& outcome, std::exception_ptr e) {
  outcome.done = true;
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    outcome.error = x.what();
  }
}

// Free coroutines with by-value parameters, never capturing lambdas (g++ 12).
awaitable<void> fetch_many(AsyncPantryConnection& connection, int count, nanoseconds delay) {
  for (int i = 0; i < count; ++i) {
    co_await pantry::fetch(connection, static_cast<std::uint32_t>(i), delay);
  }
}

void spawn(io_context& loop, awaitable<void> work, Outcome& outcome) {
  co_spawn(loop, std::move(work), [&outcome](std::exception_ptr e) { record(outcome, e); });
}

template <class Executor>
void spawn_on(const Executor& executor, awaitable<void> work, Outcome& outcome) {
  co_spawn(executor, std::move(work), [&outcome](std::exception_ptr e) { record(outcome, e); });
}

TEST(PantryAsyncClient, CoroutinesFetchOnEveryConnection) {
  testing::LoggedServer server(32);
  io_context loop(1);
  auto connections = pantry::open_async_connections(loop.get_executor(), server.port(), 10);
  std::vector<Outcome> outcomes(connections.size());
  for (std::size_t i = 0; i < connections.size(); ++i) {
    spawn(loop, fetch_many(connections[i], 20, std::chrono::microseconds(500)), outcomes[i]);
  }
  loop.run();
  for (std::size_t i = 0; i < connections.size(); ++i) {
    EXPECT_TRUE(outcomes[i].done);
    EXPECT_EQ(outcomes[i].error, "");
    EXPECT_EQ(connections[i].traffic().requests, 20u);
    EXPECT_EQ(connections[i].traffic().bytes_sent, 20u * 24);
    EXPECT_EQ(connections[i].traffic().bytes_received, 20u * (24 + 32));
    EXPECT_EQ(connections[i].name().rfind("pantry connection " + std::to_string(i) + " to", 0), 0u);
  }
}

TEST(PantryAsyncClient, StrandsOfALoopRunByTwoThreadsFetchWithoutRaces) {
  testing::LoggedServer server;
  io_context loop(2);
  std::vector<AsyncPantryConnection> connections;
  connections.reserve(8);
  std::vector<Outcome> outcomes(8);
  for (std::uint32_t i = 0; i < 8; ++i) {
    const auto strand = boost::asio::make_strand(loop);
    connections.emplace_back(strand, server.port(), i);
    spawn_on(strand, fetch_many(connections.back(), 50, std::chrono::microseconds(200)),
             outcomes[i]);
  }
  std::thread second([&loop] { loop.run(); });
  loop.run();
  second.join();
  for (std::size_t i = 0; i < connections.size(); ++i) {
    EXPECT_EQ(outcomes[i].error, "");
    EXPECT_EQ(connections[i].traffic().bytes_received, 50u * (24 + 64));
  }
}

// A chain of callbacks, the way asio_callback's chefs are written.
struct CallbackChef {
  AsyncPantryConnection& connection;
  int left;
  error_code last;

  void next() {
    if (left-- == 0) return;
    pantry::async_fetch(connection, 1, std::chrono::microseconds(100), [this](error_code e) {
      last = e;
      if (!e) next();
    });
  }
};

TEST(PantryAsyncClient, CallbacksFetchToo) {
  testing::LoggedServer server;
  io_context loop(1);
  AsyncPantryConnection connection(loop.get_executor(), server.port(), 0);
  CallbackChef chef{connection, 50, {}};
  chef.next();
  loop.run();
  EXPECT_FALSE(chef.last) << chef.last.message();
  EXPECT_EQ(connection.traffic().requests, 50u);
}

TEST(PantryAsyncClient, ReturnsNoSoonerThanTheDelay) {
  testing::LoggedServer server;
  io_context loop(1);
  AsyncPantryConnection connection(loop.get_executor(), server.port(), 0);
  Outcome outcome;
  const auto start = Clock::now();
  spawn(loop, fetch_many(connection, 1, milliseconds(20)), outcome);
  loop.run();
  EXPECT_GE(Clock::now() - start, milliseconds(20));
  EXPECT_EQ(outcome.error, "");
}

TEST(PantryAsyncClient, ARefusedConnectionNamesTheConnectionAndSaysRefused) {
  const testing::ClosedPort closed;
  io_context loop(1);
  try {
    AsyncPantryConnection connection(loop.get_executor(), closed.port(), 7);
    FAIL() << "connected to a closed port";
  } catch (const PantryError& e) {
    const std::string error = e.what();
    EXPECT_NE(error.find("pantry connection 7 to 127.0.0.1:" + std::to_string(closed.port())),
              std::string::npos)
        << error;
    EXPECT_NE(error.find("refused"), std::string::npos) << error;
  }
}

void kill_when(boost::asio::steady_timer& timer, pantry::PantryProcess& server) {
  timer.expires_after(milliseconds(100));
  timer.async_wait([&server](error_code) { server.kill(); });
}

TEST(PantryAsyncClient, AServerKilledMidRequestIsAPantryErrorNotAHang) {
  testing::LoggedServer server;
  io_context loop(1);
  AsyncPantryConnection connection(loop.get_executor(), server.port(), 4);
  Outcome outcome;
  spawn(loop, fetch_many(connection, 1, std::chrono::seconds(10)), outcome);
  boost::asio::steady_timer killer(loop);
  kill_when(killer, server.process());
  loop.run();
  EXPECT_NE(outcome.error.find(connection.name() + ": fetching ingredient 0"), std::string::npos)
      << outcome.error;
  const bool reset_or_eof = outcome.error.find("reset") != std::string::npos ||
                            outcome.error.find("EOF") != std::string::npos;
  EXPECT_TRUE(reset_or_eof) << outcome.error;
  EXPECT_FALSE(connection.usable());
}

TEST(PantryAsyncClient, ASilentServerTimesOut) {
  testing::SilentServer silent;
  io_context loop(1);
  AsyncPantryConnection connection(loop.get_executor(), silent.port(), 5);
  Outcome outcome;
  const auto start = Clock::now();
  spawn(loop, fetch_many(connection, 1, nanoseconds(0)), outcome);
  loop.run();
  EXPECT_GE(Clock::now() - start, milliseconds(1000));
  EXPECT_NE(outcome.error.find(connection.name()), std::string::npos) << outcome.error;
  EXPECT_NE(outcome.error.find("no reply within 1.000 s (timed out)"), std::string::npos)
      << outcome.error;
}

TEST(PantryAsyncClient, CancelEndsTheFetchAndEveryLaterOne) {
  testing::LoggedServer server;
  io_context loop(1);
  AsyncPantryConnection connection(loop.get_executor(), server.port(), 0);
  error_code first, second;
  pantry::async_fetch(connection, 1, std::chrono::seconds(5), [&](error_code e) {
    first = e;
    pantry::async_fetch(connection, 2, nanoseconds(0), [&](error_code e2) { second = e2; });
  });
  boost::asio::steady_timer canceller(loop);
  canceller.expires_after(milliseconds(10));
  canceller.async_wait([&](error_code) { connection.cancel(); });
  loop.run();
  EXPECT_EQ(first, boost::asio::error::operation_aborted) << first.message();
  EXPECT_EQ(second, boost::asio::error::operation_aborted) << second.message();
}

TEST(PantryAsyncClient, OneFetchAtATime) {
  testing::LoggedServer server;
  io_context loop(1);
  AsyncPantryConnection connection(loop.get_executor(), server.port(), 0);
  error_code first, second;
  pantry::async_fetch(connection, 1, milliseconds(1), [&](error_code e) { first = e; });
  pantry::async_fetch(connection, 2, milliseconds(1), [&](error_code e) { second = e; });
  loop.run();
  EXPECT_FALSE(first) << first.message();
  EXPECT_EQ(second, pantry::Error::busy);
}

}  // namespace
}  // namespace kitchen
