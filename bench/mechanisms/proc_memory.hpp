// What the kernel says memory is spent on. Resident memory is the process's own
// (/proc/self/statm): pages actually touched, never the address space merely
// reserved, so an idle thread's 8 MiB stack counts for the few pages it used.
// The kernel's stack of each thread is not part of any process's resident
// memory; /proc/meminfo has it, machine-wide only. The page tables are the
// process's own, VmPTE in /proc/self/status: the machine-wide PageTables moves
// with every other process and once gave a negative slope.
#pragma once

#include <cstdint>

namespace kitchen::bench {

struct MemorySample {
  // This process, /proc/self/statm
  double resident_bytes = 0;
  // The whole machine, KernelStack in /proc/meminfo
  double kernel_stack_bytes = 0;
  // This process, VmPTE in /proc/self/status
  double pte_bytes = 0;
  // The whole machine, MemAvailable in /proc/meminfo
  double available_bytes = 0;
};

// Reads the three files; a figure that cannot be read is NaN, which the slope fit
// refuses.
MemorySample sample_memory();

// Gives the allocator's free memory back to the kernel, so that the next
// population's allocations show up as new resident pages instead of reusing
// pages a previous row left behind.
void release_free_memory();

}  // namespace kitchen::bench
