// floor/<executor>: each executor's strategy in its barest form, on the orders of the kitchen
// row it is the floor of: the overhead profile (nothing to wait for, nothing to compute), 3
// chefs, 10,000 customers, the run's seed, the same locked stock, the same Cooking state
// machine stepped. What the kitchen row adds is the harness: the ledger's records and check, the
// thread census, the fail-fast board, the GIL scopes, the arrival hand-over. A floor keeps only
// one count per order and a count of the orders in preparation, and the row checks that every
// order was served exactly once, by a chef of the service, with at most `chefs` in preparation
// at once (an error row otherwise), as every program of the suite checks its own answer.
//
// The row also serves the same orders with the executor itself, in the same iterations as the
// floor (floor, executor, executor, floor), and times each service as the kitchen row times one.
// On a machine whose speed varies by up to a factor of two between repetitions, services a few
// milliseconds apart see much the same machine, where two rows measured seconds apart do not:
// the report's harness share is read from each repetition's ratio, (kitchen - floor) / kitchen
// per dish. (A service of threads_per_order or asio_offload takes 0.4 to 1 s on this point, so
// their four services span seconds.)
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "executors/executors.hpp"
#include "kitchen/cooking.hpp"
#include "kitchen/orders.hpp"
#include "kitchen/pantry.hpp"
#include "kitchen/service.hpp"

namespace kitchen::bench {

inline constexpr std::uint32_t kFloorChefs = 3;
inline constexpr std::uint32_t kFloorCustomers = 10000;

// The orders of one floor row and what its services share.
struct FloorKitchen {
  FloorKitchen(std::uint32_t chefs, std::uint32_t customers, std::uint64_t seed,
               const Staffing& staffing = {});

  // Restocked, every count back to 0: ready for the next service.
  void reset();
  // A chef starts an order: counted in preparation, the peak kept. Relaxed is enough: the counts
  // are read after the service's threads have been joined (or its loop has returned).
  void begin(std::uint32_t chef) {
    if (chef >= service.chefs) bad_chef_.store(true, std::memory_order_relaxed);
    const std::uint32_t now = in_preparation_.fetch_add(1, std::memory_order_relaxed) + 1;
    for (std::uint32_t peak = peak_.load(std::memory_order_relaxed);
         now > peak && !peak_.compare_exchange_weak(peak, now, std::memory_order_relaxed);) {
    }
  }
  // An order was served: its count, and one fewer in preparation.
  void served(std::uint32_t order) {
    ++served_[order];
    in_preparation_.fetch_sub(1, std::memory_order_relaxed);
  }
  // Why the last service was not a correct one, or nothing.
  std::optional<std::string> check() const;

  std::vector<Order> orders;
  Pantry stock{PantryMode::kLocked};
  Service service;
  // The run's --loop-threads, --stack-kib and --max-threads, as the kitchen rows get them.
  Staffing staffing;

 private:
  std::vector<std::uint32_t> served_;
  std::atomic<std::uint32_t> in_preparation_{0};
  std::atomic<std::uint32_t> peak_{0};
  std::atomic<bool> bad_chef_{false};
};

// The threads a floor started, joined however the floor ends: a thread the OS would not start
// throws out of the floor, and a joinable std::thread destroyed would end the process.
template <class Thread>
struct Joined {
  std::vector<Thread> threads;
  ~Joined() {
    for (Thread& thread : threads) {
      if (thread.joinable()) thread.join();
    }
  }
};

// A service of `kitchen`'s orders by the executor itself, timed as the kitchen row times one
// (from before serve() to the ledger it returns; its check and destruction untimed) and added to
// `wall`. The shared stock is restocked after it. Why the service was not a correct one, or
// nothing.
template <Executor E>
std::optional<std::string> serve_kitchen(E& executor, FloorKitchen& kitchen,
                                         std::chrono::steady_clock::duration& wall) {
  std::optional<std::string> problem;
  try {
    const auto t0 = std::chrono::steady_clock::now();
    const Ledger ledger = executor.serve(kitchen.service, Fetcher());
    wall += std::chrono::steady_clock::now() - t0;
    problem = ledger.check();
  } catch (const std::exception& e) {
    problem = e.what();
  }
  kitchen.stock.restock();
  return problem;
}

// One order, start to end, on the calling thread or fiber: `sleep(wait)` waits for each
// ingredient that takes time (none on the overhead profile).
template <class Sleep>
void cook_in_floor(FloorKitchen& kitchen, std::uint32_t order, std::uint32_t chef, Sleep sleep) {
  kitchen.begin(chef);
  Cooking cooking(kitchen.service, order, chef);
  for (; !cooking.done(); cooking.step()) {
    if (cooking.next_wait().count() > 0) sleep(cooking.next_wait());
  }
  kitchen.served(order);
}

inline std::uint32_t customers_of(const FloorKitchen& kitchen) {
  return static_cast<std::uint32_t>(kitchen.orders.size());
}

// One service of the strategy: every order of `kitchen` served once.
using FloorServe = void (*)(FloorKitchen& kitchen);

struct Floor {
  std::string_view executor;
  FloorServe serve;
};

// Every executor's floor, in catalogue order.
const std::array<Floor, 12>& floors();

// The floors defined by floor_threads.cpp and floor_loops.cpp.
void floor_threads_pool(FloorKitchen& kitchen);
void floor_threads_chefs(FloorKitchen& kitchen);
void floor_threads_per_order(FloorKitchen& kitchen);
void floor_serial(FloorKitchen& kitchen);
void floor_asio_coro(FloorKitchen& kitchen);
void floor_asio_callback(FloorKitchen& kitchen);
void floor_asio_coro_mt(FloorKitchen& kitchen);
void floor_asio_offload(FloorKitchen& kitchen);
void floor_asio_blocking(FloorKitchen& kitchen);
// And by floor_fibers.cpp.
void floor_fibers(FloorKitchen& kitchen);
void floor_fibers_mt(FloorKitchen& kitchen);
void floor_fibers_blocking(FloorKitchen& kitchen);

}  // namespace kitchen::bench
