#include "kitchen/ledger.hpp"

#include <algorithm>
#include <cmath>

#include "kitchen/arrivals.hpp"
#include "kitchen/census.hpp"
#include "kitchen/failures.hpp"
#include "kitchen/menu.hpp"

namespace kitchen {

Ledger::Ledger(const Service& service)
    : service_(&service),
      opened_at_(std::chrono::steady_clock::now()),
      records_(service.customers()) {
  census::open();
  if (service.trace) service.trace->emit(service.trace->context, {Step::kOpened, 0, 0, 0});
}

// Moved only once the service is closed, when no chef touches the gauges any
// more.
Ledger::Ledger(Ledger&& other) noexcept
    : service_(other.service_),
      opened_at_(other.opened_at_),
      records_(std::move(other.records_)),
      open_ns_(other.open_ns_),
      makespan_ns_(other.makespan_ns_),
      os_threads_(other.os_threads_),
      cooking_threads_(other.cooking_threads_),
      runqueue_wait_ns_(other.runqueue_wait_ns_),
      first_failure_ns_(other.first_failure_ns_.load(std::memory_order_relaxed)),
      sync_ops_(other.sync_ops_.load(std::memory_order_relaxed)),
      peak_(other.peak_) {}

std::int64_t Ledger::since_open() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                              opened_at_)
      .count();
}

void Ledger::opened() { open_ns_ = since_open(); }

void Ledger::arrived(std::uint32_t order) { records_[order].arrived_ns = since_open(); }

void Ledger::arrived_before_taken(std::uint32_t order) {
  records_[order].arrived_ns = placed_ns(order);
}

void Ledger::start(std::uint32_t order, std::uint32_t chef) {
  OrderRecord& r = records_[order];
  r.started_ns = since_open();
  r.chef = chef;
  if (service_->trace) {
    service_->trace->emit(service_->trace->context, {Step::kStarted, order, chef, 0});
  }
}

void Ledger::end(std::uint32_t order, Outcome outcome, std::int64_t at) {
  OrderRecord& r = records_[order];
  r.ended_ns = at;
  r.outcome = outcome;
  ++r.endings;
}

void Ledger::serve(const Cooking& cooking) {
  OrderRecord& r = records_[cooking.order()];
  r.checksum = cooking.checksum();
  r.steps = cooking.steps_done();
  end(cooking.order(), Outcome::kServed, since_open());
  emit(Step::kServed, cooking);
}

void Ledger::emit(Step step, const Cooking& cooking) const {
  if (service_->trace) {
    service_->trace->emit(service_->trace->context,
                          {step, cooking.order(), cooking.chef(), cooking.steps_done()});
  }
}

void Ledger::fail(const Cooking& cooking) {
  const std::int64_t now = since_open();
  records_[cooking.order()].steps = cooking.steps_done();
  end(cooking.order(), Outcome::kFailed, now);
  emit(Step::kFailed, cooking);
  std::int64_t none = -1;
  first_failure_ns_.compare_exchange_strong(none, now, std::memory_order_relaxed);
}

void Ledger::cancel(const Cooking& cooking) {
  records_[cooking.order()].steps = cooking.steps_done();
  end(cooking.order(), Outcome::kCancelled, since_open());
  emit(Step::kCancelled, cooking);
}

void Ledger::cancel(std::uint32_t order) { end(order, Outcome::kCancelled, since_open()); }

void Ledger::close() {
  makespan_ns_ = since_open();
  const census::Count threads = census::close();
  os_threads_ = threads.os_threads;
  cooking_threads_ = threads.cooking_threads;
  runqueue_wait_ns_ = threads.runqueue_wait_ns;
}

int Ledger::peak_in_preparation() const {
  if (peak_ >= 0) return peak_;
  // +1 at each start, -1 at each end; at equal times the end comes first (a
  // chef who hands a dish over and starts the next one in the same nanosecond
  // cooks one dish, not two).
  std::vector<std::pair<std::int64_t, int>> events;
  events.reserve(2 * records_.size());
  for (const OrderRecord& r : records_) {
    if (r.started_ns < 0) continue;
    events.emplace_back(r.started_ns, +1);
    events.emplace_back(r.ended_ns >= 0 ? r.ended_ns : INT64_MAX, -1);
  }
  std::sort(events.begin(), events.end());
  int now = 0;
  peak_ = 0;
  for (const auto& [at, change] : events) peak_ = std::max(peak_, now += change);
  return peak_;
}

std::size_t Ledger::count(Outcome outcome) const {
  return static_cast<std::size_t>(
      std::count_if(records_.begin(), records_.end(),
                    [&](const OrderRecord& r) { return r.outcome == outcome; }));
}

namespace {

// The last end of an order that had started: when the last chef stopped cooking.
std::int64_t last_chef_stopped_ns(const std::vector<OrderRecord>& records) {
  std::int64_t last = 0;
  for (const OrderRecord& r : records) {
    if (r.started_ns >= 0 && r.ended_ns > last) last = r.ended_ns;
  }
  return last;
}

}  // namespace

std::int64_t Ledger::cancel_ns() const {
  const std::int64_t first = first_failure_ns_.load(std::memory_order_relaxed);
  if (first < 0) return 0;
  return std::max<std::int64_t>(0, last_chef_stopped_ns(records_) - first);
}

std::int64_t Ledger::teardown_ns() const {
  if (first_failure_ns_.load(std::memory_order_relaxed) < 0) return 0;
  return std::max<std::int64_t>(0, makespan_ns_ - last_chef_stopped_ns(records_));
}

std::string Ledger::result(std::uint32_t order) const {
  const Dish& dish = menu()[service_->orders[order].dish];
  const OrderRecord& r = records_[order];
  switch (r.outcome) {
    case Outcome::kServed:
      return std::string(dish.result);
    case Outcome::kFailed:
      return "Failed " + std::string(dish.name) + ": out of " +
             std::string(dish.ingredients[r.steps]);
    case Outcome::kCancelled:
      return "Cancelled " + std::string(dish.name);
    case Outcome::kPending:
      break;
  }
  return "Never served " + std::string(dish.name);
}

namespace {

// The nearest-rank quantile q of `values` (reordered); 0 when empty.
std::int64_t quantile(std::vector<std::int64_t>& values, double q) {
  if (values.empty()) return 0;
  const auto rank = static_cast<std::size_t>(
      std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(values.size())));
  const auto nth = values.begin() + static_cast<std::ptrdiff_t>(rank == 0 ? 0 : rank - 1);
  std::nth_element(values.begin(), nth, values.end());
  return *nth;
}

}  // namespace

std::int64_t Ledger::placed_ns(std::uint32_t order) const {
  return service_->open_loop() ? open_ns_ + service_->arrivals[order].count() : 0;
}

std::int64_t Ledger::latency_ns(double q) const {
  std::vector<std::int64_t> latencies;
  latencies.reserve(records_.size());
  for (std::uint32_t i = 0; i < records_.size(); ++i) {
    const OrderRecord& r = records_[i];
    if (r.outcome == Outcome::kServed) latencies.push_back(r.ended_ns - placed_ns(i));
  }
  return quantile(latencies, q);
}

std::int64_t Ledger::arrival_lag_ns(double q) const {
  if (!service_->open_loop()) return 0;
  std::vector<std::int64_t> lags;
  lags.reserve(records_.size());
  for (std::uint32_t i = 0; i < records_.size(); ++i) {
    if (records_[i].arrived_ns >= 0) lags.push_back(records_[i].arrived_ns - placed_ns(i));
  }
  return quantile(lags, q);
}

int Ledger::max_backlog() const {
  if (!service_->open_loop()) return 0;
  // +1 when an order's time comes, -1 when a chef starts it (or it ends unstarted).
  std::vector<std::pair<std::int64_t, int>> events;
  events.reserve(2 * records_.size());
  for (std::uint32_t i = 0; i < records_.size(); ++i) {
    const OrderRecord& r = records_[i];
    events.emplace_back(placed_ns(i), +1);
    const std::int64_t left = r.started_ns >= 0 ? r.started_ns : r.ended_ns;
    events.emplace_back(left >= 0 ? left : INT64_MAX, -1);
  }
  std::sort(events.begin(), events.end());
  int now = 0;
  int most = 0;
  for (const auto& [at, change] : events) most = std::max(most, now += change);
  return most;
}

std::optional<std::string> Ledger::check() const {
  const bool failed_any = first_failure_ns_.load(std::memory_order_relaxed) >= 0;
  for (std::size_t i = 0; i < records_.size(); ++i) {
    const OrderRecord& r = records_[i];
    const std::string order = "order " + std::to_string(i);
    const auto wanted = menu()[service_->orders[i].dish].ingredients.size();
    const int fail_at = service_->failures.empty() ? kNoFailure : service_->failures[i];
    if (r.endings != 1) {
      return order + " ended " + std::to_string(r.endings) + " times, expected exactly once";
    }
    // An arrival time the clock cannot count from this opening makes the order's latency
    // meaningless (an overflowed time reads as a huge negative one): a wrong service.
    if (service_->open_loop()) {
      const std::int64_t t = service_->arrivals[i].count();
      if (t < 0 || static_cast<double>(t) > kMaxServiceNs) {
        return order + " has an arrival time of " + std::to_string(t) +
               " ns, outside what the clock can count from the opening";
      }
    }
    // Open loop: a kitchen may not start an order before it has arrived.
    if (r.started_ns >= 0 && r.started_ns < placed_ns(static_cast<std::uint32_t>(i))) {
      return order + " was started " +
             std::to_string(placed_ns(static_cast<std::uint32_t>(i)) - r.started_ns) +
             " ns before it arrived";
    }
    if (r.started_ns >= 0 && r.chef >= service_->chefs) {
      return order + " was cooked by chef " + std::to_string(r.chef) + " of only " +
             std::to_string(service_->chefs);
    }
    switch (r.outcome) {
      case Outcome::kServed:
        if (fail_at != kNoFailure) return order + " was served with an ingredient out of stock";
        // A latency is never negative: an order cannot be served before it was placed.
        if (r.ended_ns < placed_ns(static_cast<std::uint32_t>(i))) {
          return order + " was served " +
                 std::to_string(placed_ns(static_cast<std::uint32_t>(i)) - r.ended_ns) +
                 " ns before it was placed (a negative latency)";
        }
        if (r.steps != wanted) {
          return order + " was served after " + std::to_string(r.steps) + " of its " +
                 std::to_string(wanted) + " ingredients";
        }
        break;
      case Outcome::kFailed:
        if (fail_at == kNoFailure || r.steps != static_cast<std::uint32_t>(fail_at)) {
          return order + " failed where nothing was out of stock";
        }
        break;
      case Outcome::kCancelled:
        if (!service_->fail_fast || !failed_any) {
          return order + " was cancelled, but no fail-fast failure asked for it";
        }
        break;
      case Outcome::kPending:
        return order + " never ended";
    }
  }
  if (peak_in_preparation() > static_cast<int>(service_->chefs)) {
    return std::to_string(peak_in_preparation()) +
           " dishes were in preparation at once, with only " + std::to_string(service_->chefs) +
           " chefs";
  }
  return std::nullopt;
}

}  // namespace kitchen
