// What an executor is: a way of staffing the kitchen. It is handed a Service,
// serves every order and returns the Ledger. The model does the cooking; an
// executor decides only how to wait for an ingredient and how many dishes are
// in preparation at once. A concept, not a virtual base: the benchmark harness
// is a template over it, so nothing in the timed path goes through a vtable.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "kitchen/ledger.hpp"
#include "kitchen/service.hpp"

namespace kitchen {

// How an executor may staff its kitchen, beyond the number of chefs the service
// asks for.
struct Staffing {
  std::size_t stack_bytes =
      0;  // stack of each threads_per_order thread; 0: the system default
  std::int64_t max_threads =
      0;  // threads an executor may start; 0: as many as the OS allows
  unsigned loop_threads =
      0;  // threads running asio_coro_mt's event loop; 0: one per core
};

template <class E>
concept Executor = std::constructible_from<E, const Staffing&> &&
    requires(E& e, const Service& s) {
  { E::kName } -> std::convertible_to<std::string_view>;
  { e.serve(s) } -> std::same_as<Ledger>;
};

// A service needed more of the machine than it allows (threads, memory). The
// message names the limit and its value; the benchmark reports it as an error
// row and goes on.
class ResourceLimitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Refuses, before any timing, a service this executor cannot staff (more
// threads than the OS or --max-threads allows), by throwing ResourceLimitError.
// Executors that need no more than a thread or two have nothing to check.
// Reading the limits costs tens of microseconds of /proc, which is why it is
// not done inside serve().
template <class E>
void admit(const E& executor, const Service& service) {
  if constexpr (requires { executor.admit(service); }) executor.admit(service);
}

}  // namespace kitchen
