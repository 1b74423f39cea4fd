// The ledger of one service: per order, when it started and ended, by which
// chef, and how it ended (served, failed, cancelled); how many dishes were in
// preparation at once at the peak; the synchronisation the executor did. An
// order's latency runs from when it was placed to its end: at the opening in a
// closed batch (every order handed over at once, as executor.map and gather do),
// at its arrival time t_k in an open loop.
// Results read in the order of the orders, like executor.map and
// asyncio.gather, so executors can be compared order by order.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kitchen/cooking.hpp"
#include "kitchen/service.hpp"

namespace kitchen {

enum class Outcome : std::uint8_t { kPending, kServed, kFailed, kCancelled };

// One cache line each: records of neighbouring orders are written by different
// chefs, often on different threads, and must not slow each other down through
// false sharing.
struct alignas(64) OrderRecord {
  // Since the service opened; -1 if never started
  std::int64_t started_ns = -1;
  std::int64_t ended_ns = -1;
  // Open loop: when the order was handed to the kitchen (since the service
  // opened); -1 until it was, and in a closed batch.
  std::int64_t arrived_ns = -1;
  std::uint64_t checksum = 0;
  std::uint32_t chef = 0;
  // Ingredients cooked
  std::uint32_t steps = 0;
  // Outcomes recorded: exactly 1 in a correct service
  std::uint32_t endings = 0;
  Outcome outcome = Outcome::kPending;
};

class Ledger {
 public:
  // Opens the service: its clock starts now.
  explicit Ledger(const Service& service);
  Ledger(Ledger&& other) noexcept;
  Ledger& operator=(Ledger&&) = delete;

  // --- written by the executor while it serves ---
  // The kitchen is open and its chefs ready; in an open loop, arrivals count
  // from now.
  void opened();
  // Open loop: when order `order` is due to arrive, on the steady clock.
  std::chrono::steady_clock::time_point due(std::uint32_t order) const {
    return opened_at_ + std::chrono::nanoseconds(open_ns_) + service_->arrivals[order];
  }
  // Open loop: order `order` is handed to the kitchen now (by the arrival
  // schedule, or by the chef that takes it, at or after its time).
  void arrived(std::uint32_t order);
  // Open loop, chef loops: the chef that takes `order` finds it already there;
  // it arrived at its time t_k, with no one to hand it over.
  void arrived_before_taken(std::uint32_t order);
  void start(std::uint32_t order, std::uint32_t chef);
  // Every ingredient of `cooking` is done
  void serve(const Cooking& cooking);
  // An ingredient was out of stock
  void fail(const Cooking& cooking);
  // Stopped while cooking
  void cancel(const Cooking& cooking);
  // Stopped before it started
  void cancel(std::uint32_t order);
  void add_sync_ops(std::uint64_t n) { sync_ops_.fetch_add(n, std::memory_order_relaxed); }
  // Every chef has stopped: the makespan ends, and the thread census is read.
  void close();

  // --- read once the service is closed ---
  const std::vector<OrderRecord>& records() const { return records_; }
  // "Served Pizza", "Failed Pizza: out of Yeast"
  std::string result(std::uint32_t order) const;
  std::int64_t open_ns() const { return open_ns_; }
  std::int64_t makespan_ns() const { return makespan_ns_; }
  // The most dishes in preparation at once, from the records' start and end
  // times: the check costs the chefs nothing while they cook (no shared
  // counter), and is computed once, here.
  int peak_in_preparation() const;
  // The peak of the process's live OS threads during the service, and the
  // distinct threads that ran a cooking step: measured (census.hpp), not declared.
  unsigned os_threads() const { return os_threads_; }
  unsigned cooking_threads() const { return cooking_threads_; }
  // Time the service's threads waited, runnable, for a CPU (census.hpp), in nanoseconds.
  std::int64_t runqueue_wait_ns() const { return runqueue_wait_ns_; }
  std::uint64_t sync_ops() const { return sync_ops_.load(std::memory_order_relaxed); }
  std::size_t count(Outcome outcome) const;
  // Fail-fast, in nanoseconds, 0 without a failure. cancel_ns: from the first failure until the
  // last chef that was cooking stopped (the last end of an order that had started): what it
  // takes the kitchen to notice the stop. teardown_ns: from then until the service closed
  // (every thread woken and joined, the loop drained).
  std::int64_t cancel_ns() const;
  std::int64_t teardown_ns() const;

  // Latency of the served orders at quantile q in [0, 1] (nearest rank), in
  // nanoseconds: from when the order was placed (at open, or at its arrival
  // time t_k in an open loop) to when it was served.
  std::int64_t latency_ns(double q) const;

  // Open loop: how late the orders were handed to the kitchen (hand-over - t_k)
  // at quantile q, and the most orders that had arrived (t_k passed) and not yet
  // started at once. 0 in a closed batch.
  std::int64_t arrival_lag_ns(double q) const;
  int max_backlog() const;

  // Why this service is not a correct one, or nothing: every order ended
  // exactly once, served with all its ingredients unless the failure plan says
  // otherwise, cancelled only after a fail-fast failure, never more dishes in
  // preparation than chefs.
  std::optional<std::string> check() const;

 private:
  std::int64_t since_open() const;
  // When order `order` was placed, since the service opened: 0 in a closed
  // batch, open + t_k in an open loop.
  std::int64_t placed_ns(std::uint32_t order) const;
  void end(std::uint32_t order, Outcome outcome, std::int64_t at);
  void emit(Step step, const Cooking& cooking) const;

  const Service* service_;
  std::chrono::steady_clock::time_point opened_at_;
  std::vector<OrderRecord> records_;
  std::int64_t open_ns_ = 0;
  std::int64_t makespan_ns_ = 0;
  unsigned os_threads_ = 0;
  unsigned cooking_threads_ = 0;
  std::int64_t runqueue_wait_ns_ = 0;
  std::atomic<std::int64_t> first_failure_ns_{-1};
  std::atomic<std::uint64_t> sync_ops_{0};
  // Computed on first use, once the service is closed
  mutable int peak_ = -1;
};

}  // namespace kitchen
