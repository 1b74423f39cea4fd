// A check that stays in every build: the presets all define NDEBUG, which compiles assert() out,
// and a precondition the tests rely on must hold in the builds they run. A failed check says
// where and what on stderr, then aborts. Cheap enough for a hot path: the condition and one
// predicted branch.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace kitchen {

[[noreturn]] inline void check_failed(const char* message, const char* file, int line) {
  std::fprintf(stderr, "kitchen: check failed at %s:%d: %s\n", file, line, message);
  std::fflush(stderr);
  std::abort();
}

}  // namespace kitchen

// Aborts with `message` unless `condition` holds.
#define KITCHEN_CHECK(condition, message)                     \
  do {                                                        \
    if (!(condition)) [[unlikely]] {                          \
      ::kitchen::check_failed((message), __FILE__, __LINE__); \
    }                                                         \
  } while (false)
