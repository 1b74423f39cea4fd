// The kernel's share of a thread that no process figure holds: its task_struct,
// an object of the slab cache of that name (5,888 bytes here). /proc/slabinfo
// gives, per cache, the objects in use and their size; it is machine-wide and
// readable by root only. Header-only so that the mechanism tests can parse
// synthetic text without linking the bench.
#pragma once

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <istream>
#include <optional>
#include <sstream>
#include <string>

namespace kitchen::bench {

struct SlabReading {
  // Active task_struct objects × their size, machine-wide; meaningful only when
  // `why_not` is empty
  double bytes = 0;
  // Why there is no reading ("/proc/slabinfo: Permission denied", "no
  // task_struct line in ..."); empty when there is one
  std::string why_not;
};

// The task_struct line of slabinfo text: "task_struct <active_objs> <num_objs>
// <objsize> ...". Nothing when the text has no such line or it is malformed.
inline std::optional<double> task_struct_bytes(std::istream& slabinfo) {
  std::string line;
  while (std::getline(slabinfo, line)) {
    std::istringstream fields(line);
    std::string name;
    double active = 0;
    double total = 0;
    double object_size = 0;
    if (!(fields >> name) || name != "task_struct") continue;
    if (!(fields >> active >> total >> object_size)) return std::nullopt;
    return active * object_size;
  }
  return std::nullopt;
}

inline SlabReading read_task_struct_slab(const std::string& path = "/proc/slabinfo") {
  SlabReading reading;
  std::FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) {
    reading.why_not = path + ": " + std::strerror(errno);
    return reading;
  }
  std::string text;
  char buffer[4096];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, file)) text.append(buffer, n);
  std::fclose(file);
  std::istringstream in(text);
  if (const std::optional<double> bytes = task_struct_bytes(in)) {
    reading.bytes = *bytes;
  } else {
    reading.why_not = "no task_struct line in " + path;
  }
  return reading;
}

}  // namespace kitchen::bench
