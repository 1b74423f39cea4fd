#include "mechanisms/proc_memory.hpp"

#include <malloc.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <string>

namespace kitchen::bench {
namespace {

double resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  double size_pages = 0;
  double resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return std::nan("");
  return resident_pages * static_cast<double>(sysconf(_SC_PAGESIZE));
}

double own_page_table_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmPTE:", 0) != 0) continue;
    // "VmPTE:	      48 kB"
    return std::stod(line.substr(6)) * 1024;
  }
  return std::nan("");
}

}  // namespace

MemorySample sample_memory() {
  MemorySample s;
  s.resident_bytes = resident_bytes();
  s.kernel_stack_bytes = std::nan("");
  s.pte_bytes = own_page_table_bytes();
  s.available_bytes = std::nan("");
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  double kib = 0;
  while (meminfo >> key >> kib) {
    if (key == "KernelStack:") s.kernel_stack_bytes = kib * 1024;
    if (key == "MemAvailable:") s.available_bytes = kib * 1024;
    // The unit, "kB"
    meminfo.ignore(64, '\n');
  }
  return s;
}

void release_free_memory() { malloc_trim(0); }

}  // namespace kitchen::bench
