// An optional observer of a service, for the `kitchen` program that shows a
// service step by step. Benchmarks pass none: the cost in the timed path is one
// predictable null test per step, and no virtual call.
#pragma once

#include <cstdint>

namespace kitchen {

enum class Step : std::uint8_t {
  // The ledger's clock starts: every time of the service counts from here
  kOpened,
  kStarted,
  kFetched,
  kCooked,
  kSeasoned,
  kServed,
  kFailed,
  kCancelled
};

struct TraceEvent {
  Step step;
  std::uint32_t order;
  std::uint32_t chef;
  // Index into the dish's ingredients (for kFailed: the missing one)
  std::uint32_t ingredient;
};

struct Trace {
  // Called from whichever thread the executor runs the step on; the sink
  // serialises if it must.
  void (*emit)(void* context, const TraceEvent& event);
  void* context;
};

}  // namespace kitchen
