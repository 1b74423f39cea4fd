// Every executor on real I/O: each fetch is a request and its reply from a real pantry_server
// over loopback, on the connection of the chef cooking the order. The row's connections are
// opened once and reused by every service; a fail-fast cancel leaves some unusable, and they are
// reopened. A server that dies mid-service fails the service quickly with an error that says
// so, and a refused connection is reported clearly. No duration or speed is asserted.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <memory>
#include <mutex>

#include "executors/typed_executors.hpp"
#include "kitchen/failures.hpp"
#include "kitchen/menu.hpp"
#include "kitchen/orders.hpp"
#include "pantry/net_pantry.hpp"
#include "pantry/pantry_process.hpp"

namespace kitchen {
namespace {

using std::chrono::microseconds;

template <class E>
class NetTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<pantry::PantryProcess>(); }
  static void TearDownTestSuite() { server_.reset(); }
  static pantry::PantryProcess& server() { return *server_; }

 private:
  static inline std::unique_ptr<pantry::PantryProcess> server_;
};

TYPED_TEST_SUITE(NetTest, AllExecutorTypes, ExecutorNames);

std::uint64_t ingredients_of(const std::vector<Order>& orders) {
  std::uint64_t n = 0;
  for (const Order& o : orders) n += menu()[o.dish].ingredients.size();
  return n;
}

TYPED_TEST(NetTest, ServesEveryOrderWithOneRequestPerIngredientOnReusedConnections) {
  constexpr std::uint32_t kChefs = 4;
  const auto orders = make_orders(30, 3);
  pantry::NetPantry lines(this->server().port(), kChefs);
  Service s(orders, {microseconds(200), microseconds(5)}, kChefs);
  // Two services on the same connections: nothing is reopened between them.
  for (int service = 0; service < 2; ++service) {
    const Ledger ledger = serve_with<TypeParam>(s, {}, Fetcher(&lines));
    ASSERT_EQ(ledger.check(), std::nullopt);
    EXPECT_EQ(lines.take_fault(), std::nullopt);
    EXPECT_EQ(ledger.count(Outcome::kServed), orders.size());
    EXPECT_LE(ledger.peak_in_preparation(), static_cast<int>(kChefs));
    EXPECT_GE(ledger.cooking_threads(), 1u);
    // Not compared with cooking_threads: where each order brings its own thread,
    // threads come and go, and the distinct cooks of a service may outnumber the
    // most threads alive at once.
    EXPECT_GE(ledger.os_threads(), 1u);
    EXPECT_EQ(lines.reopen_unusable(), 0u);
  }
  const pantry::Traffic traffic = lines.traffic();
  EXPECT_EQ(traffic.requests, 2 * ingredients_of(orders));
  EXPECT_EQ(traffic.bytes_sent, traffic.requests * pantry::kFrameBytes);
  EXPECT_EQ(traffic.bytes_received,
            traffic.requests * (pantry::kFrameBytes + pantry::kDefaultPayloadBytes));
}

TYPED_TEST(NetTest, AWaitOfZeroIsStillARequest) {
  const auto orders = make_orders(12, 4);
  pantry::NetPantry lines(this->server().port(), 3);
  Service s(orders, {}, 3);
  const Ledger ledger = serve_with<TypeParam>(s, {}, Fetcher(&lines));
  ASSERT_EQ(ledger.check(), std::nullopt);
  EXPECT_EQ(lines.traffic().requests, ingredients_of(orders));
}

TYPED_TEST(NetTest, FailFastCancelsAndTheUnusableConnectionsAreReopened) {
  const auto orders = make_orders(40, 5);
  const auto failures = plan_failures(orders, 0.05, 5);
  pantry::NetPantry lines(this->server().port(), 5);
  Service s(orders, {microseconds(300), microseconds(0)}, 5);
  s.failures = failures;
  s.fail_fast = true;
  for (int service = 0; service < 2; ++service) {
    const Ledger ledger = serve_with<TypeParam>(s, {}, Fetcher(&lines));
    ASSERT_EQ(ledger.check(), std::nullopt);
    EXPECT_EQ(lines.take_fault(), std::nullopt);
    lines.reopen_unusable();
    for (std::uint32_t chef = 0; chef < lines.chefs(); ++chef) {
      EXPECT_TRUE(lines.connection(chef).usable()) << chef;
    }
  }
}

// Kills a server at the first ingredient a service has fetched from it: a known point in the
// middle of the service, whatever the executor and the load. Under the mutex, no other step goes
// past its fetch before the signal is sent.
struct KillAtFirstFetch {
  explicit KillAtFirstFetch(pid_t pid) : server(pid) {}

  pid_t server;
  std::mutex mutex;
  bool killed = false;
  Trace trace{&KillAtFirstFetch::emit, this};

  static void emit(void* self, const TraceEvent& e) {
    auto& k = *static_cast<KillAtFirstFetch*>(self);
    if (e.step != Step::kFetched) return;
    const std::lock_guard lock(k.mutex);
    if (!k.killed) k.killed = ::kill(k.server, SIGKILL) == 0;
  }
};

TYPED_TEST(NetTest, AServerThatDiesMidServiceFailsTheServiceSayingSo) {
  pantry::PantryProcess doomed;
  const auto orders = make_orders(40, 6);
  pantry::NetPantry lines(doomed.port(), 4);
  KillAtFirstFetch killer(doomed.pid());
  Service s(orders, {microseconds(500), microseconds(0)}, 4, &killer.trace);
  const Ledger ledger = serve_with<TypeParam>(s, {}, Fetcher(&lines));
  ASSERT_TRUE(killer.killed);
  const std::optional<std::string> fault = lines.take_fault();
  ASSERT_TRUE(fault.has_value());
  EXPECT_NE(fault->find("pantry connection"), std::string::npos) << *fault;
  // Reaped as soon as it has exited; the minute only stops a hang.
  ASSERT_TRUE(doomed.wait_for_exit(std::chrono::seconds(60)));
  EXPECT_EQ(doomed.ended(), "killed by signal 9");
  // A killed server sends nothing more, so only first requests, sent before the kill, can have
  // had their reply: every order got one ingredient at most, and every dish has five or more.
  EXPECT_EQ(ledger.count(Outcome::kServed), 0u);
}

TEST(NetPantry, ARefusedConnectionIsReportedClearly) {
  std::uint16_t port = 0;
  {
    pantry::PantryProcess stopped;
    port = stopped.port();
    stopped.stop();
  }
  try {
    pantry::NetPantry lines(port, 2);
    FAIL() << "connected to a stopped server";
  } catch (const pantry::PantryError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("pantry connection 0 to 127.0.0.1:" + std::to_string(port)),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("refused"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace kitchen
