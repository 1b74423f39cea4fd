// The chefs of a coroutine kitchen, a channel of tokens: taken, freed, and dismissed by a
// fail-fast stop. The loop is only polled, never run, so an order still waiting for a chef
// shows as a result not yet there instead of a test that hangs.
#include "executors/chefs_channel.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdint>
#include <exception>
#include <optional>
#include <vector>

namespace kitchen {
namespace {

// An order's receive of a chef, as the coroutine kitchen makes it: nothing when the receive
// fails.
template <class Channel>
boost::asio::awaitable<std::optional<std::uint32_t>> take_chef(Channel& chefs) {
  boost::system::error_code error;
  const std::uint32_t chef =
      co_await chefs.async_receive(boost::asio::redirect_error(boost::asio::use_awaitable, error));
  if (error) co_return std::nullopt;
  co_return chef;
}

template <class Channel>
class ChefsChannelTest : public ::testing::Test {
 protected:
  // One order asking for a chef: its slot is empty until take_chef has answered.
  struct Ask {
    bool answered = false;
    std::optional<std::uint32_t> chef;
  };

  void ask(Ask& a) {
    boost::asio::co_spawn(loop, take_chef(chefs),
                          [&a](std::exception_ptr e, std::optional<std::uint32_t> chef) {
                            if (e) std::rethrow_exception(e);
                            a.answered = true;
                            a.chef = chef;
                          });
  }

  boost::asio::io_context loop;
  // An io_context that runs out of work stops, and a later poll() runs nothing: kept busy, so
  // that every poll runs whatever is ready.
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> busy =
      boost::asio::make_work_guard(loop);
  Channel chefs{loop, 2};
};

using Channels = ::testing::Types<Chefs, SharedChefs>;
TYPED_TEST_SUITE(ChefsChannelTest, Channels);

TYPED_TEST(ChefsChannelTest, AFreedChefGoesToTheOrderWaiting) {
  seat_chefs(this->chefs, 2);
  typename TestFixture::Ask first, second, third;
  this->ask(first);
  this->ask(second);
  this->ask(third);
  this->loop.poll();
  ASSERT_TRUE(first.answered && second.answered);
  EXPECT_EQ(first.chef, 0u);
  EXPECT_EQ(second.chef, 1u);
  EXPECT_FALSE(third.answered);
  free_chef(this->chefs, 1);
  this->loop.poll();
  ASSERT_TRUE(third.answered);
  EXPECT_EQ(third.chef, 1u);
}

// The stop comes while an order waits for a chef (every chef cooking). The waiter gets none;
// a chef that finishes afterwards gives its token back; an order that asks after the stop
// also gets none at once. Asio 1.81's cancel() fails the last step: the channel then refuses
// the freed token, and the late order waits for ever.
TYPED_TEST(ChefsChannelTest, AfterADismissalNoOrderWaitsForAChef) {
  seat_chefs(this->chefs, 2);
  typename TestFixture::Ask cooking_a, cooking_b, waiting, late;
  this->ask(cooking_a);
  this->ask(cooking_b);
  this->ask(waiting);
  this->loop.poll();
  ASSERT_TRUE(cooking_a.chef && cooking_b.chef);
  ASSERT_FALSE(waiting.answered);

  dismiss_chefs(this->chefs);
  this->loop.poll();
  ASSERT_TRUE(waiting.answered);
  EXPECT_EQ(waiting.chef, std::nullopt);

  free_chef(this->chefs, *cooking_a.chef);
  this->ask(late);
  this->loop.poll();
  ASSERT_TRUE(late.answered) << "an order that asked for a chef after the stop is still waiting";
  EXPECT_EQ(late.chef, std::nullopt);
}

// A stop with chefs free (nobody waiting): later orders get none either, although tokens are
// still in the channel.
TYPED_TEST(ChefsChannelTest, ADismissalWithChefsFreeLeavesThemFree) {
  seat_chefs(this->chefs, 2);
  dismiss_chefs(this->chefs);
  typename TestFixture::Ask late;
  this->ask(late);
  this->loop.poll();
  ASSERT_TRUE(late.answered);
  EXPECT_EQ(late.chef, std::nullopt);
}

}  // namespace
}  // namespace kitchen
