#include "cli/show_service.hpp"

#include <chrono>
#include <mutex>

#include "kitchen/menu.hpp"

namespace kitchen::cli {

struct ServiceShow::State {
  // Steps arrive from every chef's thread
  std::mutex mutex;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
};

ServiceShow::ServiceShow(std::span<const Order> orders, std::FILE* out)
    : orders_(orders),
      out_(out),
      trace_{&ServiceShow::emit, this},
      state_(std::make_unique<State>()) {}

ServiceShow::~ServiceShow() = default;

void ServiceShow::print_orders() const {
  for (const Order& order : orders_) {
    std::fprintf(out_, "I- Ordered %.*s\n", static_cast<int>(menu()[order.dish].name.size()),
                 menu()[order.dish].name.data());
  }
}

void ServiceShow::emit(void* self_ptr, const TraceEvent& e) {
  auto* self = static_cast<ServiceShow*>(self_ptr);
  std::lock_guard lock(self->state_->mutex);
  // The show's clock is the ledger's: times match the makespan
  if (e.step == Step::kOpened) {
    self->state_->start = std::chrono::steady_clock::now();
    return;
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                              self->state_->start)
                        .count();
  const Dish& dish = menu()[self->orders_[e.order].dish];
  const bool whole_dish =
      e.step == Step::kStarted || e.step == Step::kServed || e.step == Step::kCancelled;
  const std::string_view what = whole_dish ? dish.name : dish.ingredients[e.ingredient];
  const auto w = static_cast<int>(what.size());
  const char* d = what.data();
  std::FILE* out = self->out_;
  std::fprintf(out, "[%9.3f ms] chef %-3u order %-3u ", ms, e.chef, e.order);
  switch (e.step) {
    case Step::kStarted:
      std::fprintf(out, "Get ingredients for %.*s...\n", w, d);
      break;
    case Step::kFetched:
      std::fprintf(out, "Fetched %.*s\n", w, d);
      break;
    case Step::kCooked:
      std::fprintf(out, "Cooking ingredient %.*s... Cooked %.*s\n", w, d, w, d);
      break;
    case Step::kSeasoned:
      std::fprintf(out, "Seasoning Cooked %.*s... Served Cooked %.*s with a pinch of magic\n", w, d,
                   w, d);
      break;
    case Step::kServed:
      std::fprintf(out, "O- Served %.*s\n", w, d);
      break;
    case Step::kFailed:
      std::fprintf(out, "X- Out of %.*s: order failed\n", w, d);
      break;
    case Step::kCancelled:
      std::fprintf(out, "X- Cancelled %.*s\n", w, d);
      break;
    case Step::kOpened:  // handled above
      break;
  }
}

void ServiceShow::print_results(const Service& service, const Ledger& ledger,
                                unsigned cores) const {
  for (std::uint32_t i = 0; i < service.customers(); ++i) {
    std::fprintf(out_, "%s\n", ledger.result(i).c_str());
  }
  const double makespan_ms = static_cast<double>(ledger.makespan_ns()) / 1e6;
  const double ideal_ms =
      std::chrono::duration<double, std::milli>(ideal_makespan(service, cores)).count();
  std::fprintf(out_,
               "makespan %.3f ms, ideal %.3f ms, efficiency %.2f, peak %d of "
               "%u chefs cooking, "
               "%u OS thread(s) at most, %u of them cooked, served %zu, failed %zu, "
               "cancelled %zu\n",
               makespan_ms, ideal_ms, makespan_ms > 0 ? ideal_ms / makespan_ms : 0.0,
               ledger.peak_in_preparation(), service.chefs, ledger.os_threads(),
               ledger.cooking_threads(), ledger.count(Outcome::kServed),
               ledger.count(Outcome::kFailed), ledger.count(Outcome::kCancelled));
  if (service.fail_fast && ledger.count(Outcome::kFailed) > 0) {
    std::fprintf(out_, "every chef stopped %.3f ms after the first failure\n",
                 static_cast<double>(ledger.cancel_ns()) / 1e6);
  }
}

}  // namespace kitchen::cli
