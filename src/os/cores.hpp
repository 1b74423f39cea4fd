// The cores this process may use, as the OS grants them: the CPUs in its affinity
// mask (sched_getaffinity, which taskset sets), capped by the cgroup's CPU quota
// where one is set (cgroup v2 cpu.max, or v1 cpu.cfs_quota_us / cpu.cfs_period_us).
// std::thread::hardware_concurrency() counts the machine's CPUs and ignores both.
#pragma once

namespace kitchen::os {

// At least 1. Read once per process and then fixed.
unsigned usable_cores();

}  // namespace kitchen::os
