// Every executor of the catalogue, for typed tests: the suites hold each one to
// the same contract. The list is the catalogue's own, so a new executor is
// tested as soon as it is listed.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "executors/catalogue.hpp"

namespace kitchen {

template <class Tuple>
struct TypesOf;
template <class... E>
struct TypesOf<std::tuple<E...>> {
  using type = ::testing::Types<E...>;
};

using AllExecutorTypes = TypesOf<AllExecutors>::type;

struct ExecutorNames {
  template <class E>
  static std::string GetName(int) {
    return std::string(name_of<E>());
  }
};

template <class E>
Ledger serve_with(const Service& service, const Staffing& staffing = {}, Fetcher fetcher = {}) {
  E executor(staffing);
  return executor.serve(service, fetcher);
}

// An executor that serves one dish at a time whatever the chefs overlaps
// nothing (the catalogue says which: the never-awaiting pitfall, the serial baseline).
template <class E>
constexpr bool kOverlaps = !kListingOf<E>.one_at_a_time;

}  // namespace kitchen
