#include "kitchen/ledger.hpp"

#include <algorithm>
#include <cmath>

#include "kitchen/menu.hpp"

namespace kitchen {

Ledger::Ledger(const Service& service)
    : service_(&service),
      opened_at_(std::chrono::steady_clock::now()),
      records_(service.customers()) {}

// Moved only once the service is closed, when no chef touches the gauges any more.
Ledger::Ledger(Ledger&& other) noexcept
    : service_(other.service_),
      opened_at_(other.opened_at_),
      records_(std::move(other.records_)),
      open_ns_(other.open_ns_),
      makespan_ns_(other.makespan_ns_),
      os_threads_(other.os_threads_),
      in_preparation_(other.in_preparation_.load(std::memory_order_relaxed)),
      peak_(other.peak_.load(std::memory_order_relaxed)) {}

std::int64_t Ledger::since_open() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                              opened_at_)
      .count();
}

void Ledger::staffed() { open_ns_ = since_open(); }

void Ledger::start(std::uint32_t order, std::uint32_t chef) {
  const int now = in_preparation_.fetch_add(1, std::memory_order_relaxed) + 1;
  int peak = peak_.load(std::memory_order_relaxed);
  while (now > peak && !peak_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
  OrderRecord& r = records_[order];
  r.started_ns = since_open();
  r.chef = chef;
  if (service_->trace)
    service_->trace->emit(service_->trace->context, {Step::kStarted, order, chef, 0});
}

void Ledger::serve(const Cooking& cooking) {
  OrderRecord& r = records_[cooking.order()];
  r.served_ns = since_open();
  r.checksum = cooking.checksum();
  r.steps = cooking.steps_done();
  ++r.times_served;
  in_preparation_.fetch_sub(1, std::memory_order_relaxed);
  if (service_->trace) {
    service_->trace->emit(service_->trace->context,
                          {Step::kServed, cooking.order(), cooking.chef(), 0});
  }
}

void Ledger::close(unsigned os_threads) {
  makespan_ns_ = since_open();
  os_threads_ = os_threads;
}

std::string_view Ledger::result(std::uint32_t order) const {
  return menu()[service_->orders[order].dish].result;
}

std::int64_t Ledger::latency_ns(double q) const {
  if (records_.empty()) return 0;
  std::vector<std::int64_t> served;
  served.reserve(records_.size());
  for (const OrderRecord& r : records_) served.push_back(r.served_ns);
  const auto rank = static_cast<std::size_t>(
      std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(served.size())));
  const auto nth = served.begin() + static_cast<std::ptrdiff_t>(rank == 0 ? 0 : rank - 1);
  std::nth_element(served.begin(), nth, served.end());
  return *nth;
}

std::optional<std::string> Ledger::check() const {
  for (std::size_t i = 0; i < records_.size(); ++i) {
    const OrderRecord& r = records_[i];
    const auto wanted = menu()[service_->orders[i].dish].ingredients.size();
    if (r.times_served != 1) {
      return "order " + std::to_string(i) + " was served " + std::to_string(r.times_served) +
             " times, expected exactly once";
    }
    if (r.steps != wanted) {
      return "order " + std::to_string(i) + " was served after " + std::to_string(r.steps) +
             " of its " + std::to_string(wanted) + " ingredients";
    }
    if (r.chef >= service_->chefs) {
      return "order " + std::to_string(i) + " was cooked by chef " + std::to_string(r.chef) +
             " of only " + std::to_string(service_->chefs);
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
