#include "os/limits.hpp"

#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <thread>

namespace kitchen::os {
namespace {

std::int64_t read_number(const char* path) {
  std::ifstream in(path);
  std::int64_t value = -1;
  if (!(in >> value)) return -1;
  return value;
}

std::int64_t soft_limit(int resource) {
  rlimit rl{};
  if (getrlimit(resource, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return -1;
  return static_cast<std::int64_t>(rl.rlim_cur);
}

}  // namespace

ThreadLimits read_thread_limits() {
  ThreadLimits l;
  l.pid_max = read_number("/proc/sys/kernel/pid_max");
  l.threads_max = read_number("/proc/sys/kernel/threads-max");
  l.max_map_count = read_number("/proc/sys/vm/max_map_count");
  l.rlimit_nproc = soft_limit(RLIMIT_NPROC);
  l.rlimit_stack = soft_limit(RLIMIT_STACK);
  return l;
}

std::int64_t current_threads() {
  std::ifstream in("/proc/self/status");
  std::string key;
  while (in >> key) {
    if (key == "Threads:") {
      std::int64_t n = -1;
      in >> n;
      return n;
    }
  }
  return -1;
}

std::int64_t current_threads_settled(std::int64_t expected, std::chrono::milliseconds give_up) {
  const auto deadline = std::chrono::steady_clock::now() + give_up;
  std::int64_t now = current_threads();
  while (now > expected && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    now = current_threads();
  }
  return now;
}

ThreadBudget thread_budget(const ThreadLimits& l) {
  // pid_max, threads-max and RLIMIT_NPROC count threads machine- or user-wide:
  // keep a margin for the rest of the machine. Each thread stack costs two
  // memory maps (stack and guard page).
  constexpr std::int64_t kMargin = 512;
  ThreadBudget best{std::numeric_limits<std::int64_t>::max(), "none"};
  const auto consider = [&](std::int64_t limit, std::int64_t per_thread, const char* name) {
    if (limit <= 0) return;
    const std::int64_t threads = (limit - kMargin) / per_thread;
    if (threads < best.threads) best = {threads, std::string(name) + "=" + std::to_string(limit)};
  };
  consider(l.pid_max, 1, "pid_max");
  consider(l.threads_max, 1, "threads-max");
  consider(l.rlimit_nproc, 1, "RLIMIT_NPROC");
  consider(l.max_map_count, 2, "max_map_count");
  const std::int64_t now = current_threads();
  if (now > 0) best.threads -= now;
  if (best.threads < 0) best.threads = 0;
  return best;
}

FileBudget file_budget() {
  FileBudget budget;
  budget.limit = soft_limit(RLIMIT_NOFILE);
  std::error_code error;
  std::int64_t open = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", error), end; !error && it != end;
       it.increment(error)) {
    ++open;
  }
  // The iterator's own descriptor is one of those listed.
  if (!error) budget.open = open > 0 ? open - 1 : 0;
  return budget;
}

ThreadBudget thread_allowance(std::int64_t max_threads) {
  ThreadBudget budget = thread_budget(read_thread_limits());
  if (max_threads > 0 && max_threads <= budget.threads) {
    budget = {max_threads, "--max-threads=" + std::to_string(max_threads)};
  }
  return budget;
}

}  // namespace kitchen::os
