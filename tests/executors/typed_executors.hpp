// Every executor, for typed tests: the suites hold each one to the same
// contract.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <type_traits>

#include "executors/registry.hpp"

namespace kitchen {

using AllExecutorTypes =
    ::testing::Types<ThreadsPool, ThreadsPerOrder, AsioCoro, AsioCallback,
                     AsioCoroMt, AsioOffload, AsioBlocking>;

struct ExecutorNames {
  template <class E>
  static std::string GetName(int) {
    return std::string(E::kName);
  }
};

template <class E>
Ledger serve_with(const Service& service, const Staffing& staffing = {}) {
  E executor(staffing);
  return executor.serve(service);
}

// asio_blocking is the article's pitfall: its coroutines block the loop, so it
// overlaps nothing.
template <class E>
constexpr bool kOverlaps = !std::is_same_v<E, AsioBlocking>;

}  // namespace kitchen
