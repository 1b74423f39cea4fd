// The ledger of one service: per order, when it started and was served, by which chef, with what
// result; and how many dishes were in preparation at once at the peak. Every order is placed when
// the service opens (the article hands all its orders to executor.map / gather at once), so an
// order's latency is its served time. Results read in the order of the orders, like executor.map
// and asyncio.gather, so executors can be compared order by order.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kitchen/cooking.hpp"
#include "kitchen/service.hpp"

namespace kitchen {

struct OrderRecord {
  std::int64_t started_ns = -1;  // since the service opened; -1 until started
  std::int64_t served_ns = -1;
  std::uint64_t checksum = 0;
  std::uint32_t chef = 0;
  std::uint32_t steps = 0;         // ingredients cooked
  std::uint32_t times_served = 0;  // exactly 1 in a correct service
};

class Ledger {
 public:
  // Opens the service: its clock starts now.
  explicit Ledger(const Service& service);
  Ledger(Ledger&& other) noexcept;
  Ledger& operator=(Ledger&&) = delete;

  // --- written by the executor while it serves ---
  void staffed();  // the kitchen is open and its chefs ready
  void start(std::uint32_t order, std::uint32_t chef);
  void serve(const Cooking& cooking);
  void close(unsigned os_threads);  // every chef has stopped

  // --- read once the service is closed ---
  const std::vector<OrderRecord>& records() const { return records_; }
  std::string_view result(std::uint32_t order) const;
  std::int64_t open_ns() const { return open_ns_; }
  std::int64_t makespan_ns() const { return makespan_ns_; }
  int peak_in_preparation() const { return peak_.load(std::memory_order_relaxed); }
  unsigned os_threads() const { return os_threads_; }

  // Served latency at quantile q in [0, 1] (nearest rank), in nanoseconds.
  std::int64_t latency_ns(double q) const;

  // Why this service is not a correct one, or nothing: every order served exactly once with all
  // its ingredients, never more dishes in preparation than chefs.
  std::optional<std::string> check() const;

 private:
  std::int64_t since_open() const;

  const Service* service_;
  std::chrono::steady_clock::time_point opened_at_;
  std::vector<OrderRecord> records_;
  std::int64_t open_ns_ = 0;
  std::int64_t makespan_ns_ = 0;
  unsigned os_threads_ = 0;
  // Shared by every chef; on their own cache lines so that the gauge does not slow the records.
  alignas(64) std::atomic<int> in_preparation_{0};
  alignas(64) std::atomic<int> peak_{0};
};

}  // namespace kitchen
