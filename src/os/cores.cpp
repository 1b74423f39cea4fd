#include "os/cores.hpp"

#include <sched.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <string>
#include <thread>

namespace kitchen::os {
namespace {

unsigned affinity_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) {
    return std::max(1u, std::thread::hardware_concurrency());
  }
  return static_cast<unsigned>(std::max(1, CPU_COUNT(&set)));
}

// quota / period in cores, rounded up; nothing when no quota is set.
std::optional<unsigned> quota_cores() {
  double quota = -1;
  double period = 0;
  // cgroup v2: "max 100000" (no quota) or "200000 100000".
  if (std::ifstream v2("/sys/fs/cgroup/cpu.max"); v2) {
    std::string q;
    v2 >> q >> period;
    if (q != "max") quota = std::stod(q);
  } else if (std::ifstream v1("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"); v1) {
    v1 >> quota;
    std::ifstream("/sys/fs/cgroup/cpu/cpu.cfs_period_us") >> period;
  }
  if (quota <= 0 || period <= 0) return std::nullopt;
  return static_cast<unsigned>(std::max(1.0, std::ceil(quota / period)));
}

}  // namespace

unsigned usable_cores() {
  static const unsigned cores = [] {
    unsigned n = affinity_cores();
    try {
      if (const auto quota = quota_cores()) n = std::min(n, *quota);
    } catch (const std::exception&) {
      // An unreadable quota file leaves the affinity count.
    }
    return n;
  }();
  return cores;
}

}  // namespace kitchen::os
