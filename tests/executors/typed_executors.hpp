// Every executor of the catalogue, for typed tests: the suites hold each one to
// the same contract. The list is the catalogue's own, so a new executor is
// tested as soon as it is listed.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "executors/catalogue.hpp"

namespace kitchen {

template <class Tuple>
struct TypesOf;
template <class... E>
struct TypesOf<std::tuple<E...>> {
  using type = ::testing::Types<E...>;
};

#if defined(__SANITIZE_THREAD__)
// ThreadSanitizer cannot check fibers that move between threads: the hand-overs that order their
// accesses happen in libboost_fiber's spinlocks and queues, which are not instrumented (Debian
// builds the library without -fsanitize=thread), and fcontext tells it of no stack switch, so
// every access of a fiber that resumed on another thread reads as a race (seen: a race in
// boost::context::fiber's destructor, with a call stack that loops through the fiber's entry).
// fibers_mt is the one executor whose fibers move; it is left out of the typed suites in this
// preset alone, and tests/executors/fibers_test.cpp reports it skipped, saying why. fibers and
// fibers_blocking, one thread each, are checked like every other executor.
template <class... E>
struct WithoutMigratingFibers;
template <class... E>
struct WithoutMigratingFibers<std::tuple<E...>> {
  using type = decltype(std::tuple_cat(
      std::declval<
          std::conditional_t<std::is_same_v<E, FibersMt>, std::tuple<>, std::tuple<E>>>()...));
};
using AllExecutorTypes = TypesOf<WithoutMigratingFibers<AllExecutors>::type>::type;
inline constexpr bool kMigratingFibersChecked = false;
#else
using AllExecutorTypes = TypesOf<AllExecutors>::type;
inline constexpr bool kMigratingFibersChecked = true;
#endif

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
