// The live state an idle task holds while it waits (--task-state-bytes): a
// buffer of its own, written once so that its pages are resident, as a real
// task's buffers and parsed request are. Threads and coroutines hold the very
// same kind of state, so the difference between their bytes_per_task is the
// cost of the task itself.
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstring>
#include <memory>

namespace kitchen::bench {

class TaskState {
 public:
  explicit TaskState(std::size_t bytes) {
    if (bytes == 0) return;
    bytes_.reset(new std::byte[bytes]);
    std::memset(bytes_.get(), 0x5a, bytes);
    // The buffer is never read: without this the compiler may drop the
    // allocation altogether.
    benchmark::DoNotOptimize(bytes_.get());
  }

 private:
  std::unique_ptr<std::byte[]> bytes_;
};

}  // namespace kitchen::bench
