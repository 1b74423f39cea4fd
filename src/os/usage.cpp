#include "os/usage.hpp"

#include <sys/resource.h>

#include <ctime>

namespace kitchen::os {

Usage process_usage() {
  Usage u;
  timespec ts{};
  if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) == 0) {
    u.cpu_ns = static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
  }
  rusage ru{};
  if (getrusage(RUSAGE_SELF, &ru) == 0) u.ctx_switches = ru.ru_nvcsw + ru.ru_nivcsw;
  return u;
}

}  // namespace kitchen::os
