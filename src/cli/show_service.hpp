// Prints a service as it happens, the way a Python script of the kitchen would:
// the orders, each fetch / cook / season step with its time and chef, each dish
// served, the results in order, and a summary line.
#pragma once

#include <cstdio>
#include <memory>
#include <span>

#include "executors/catalogue.hpp"
#include "kitchen/census.hpp"

namespace kitchen::cli {

class ServiceShow {
 public:
  ServiceShow(std::span<const Order> orders, std::FILE* out);
  ~ServiceShow();
  ServiceShow(const ServiceShow&) = delete;
  ServiceShow& operator=(const ServiceShow&) = delete;

  const Trace* trace() const { return &trace_; }
  void print_orders() const;
  void print_results(const Service& service, const Ledger& ledger, unsigned cores) const;

 private:
  static void emit(void* self, const TraceEvent& event);

  std::span<const Order> orders_;
  std::FILE* out_;
  Trace trace_;
  struct State;
  std::unique_ptr<State> state_;
};

// Runs one traced service on the executor called `name` and prints it; false
// for an unknown name.
template <class Show>
bool show_service(std::string_view name, const Staffing& staffing, const Service& service,
                  Show&& show) {
  return visit_executor(name, [&]<Executor E>() {
    E executor(staffing);
    admit(executor, service);
    census::recount_baseline();
    show(executor.serve(service));
  });
}

}  // namespace kitchen::cli
