// An emulation of CPython's global interpreter lock, for the Python-faithful
// mode. CPU work runs holding one process-wide lock; a holder that has run for
// a switch interval (CPython: 5 ms) while another thread waits hands the lock
// over; waiting for an ingredient holds no lock. Handing over is first come,
// first served (a ticket lock), like CPython's forced switching, so a thread
// that releases cannot take the lock straight back.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace kitchen {

class Gil {
 public:
  explicit Gil(std::chrono::nanoseconds switch_interval);

  // burn(units, seed), run under the lock in slices, handing the lock over
  // between slices when the switch interval has passed and another thread
  // waits. Same result as burn().
  std::uint64_t burn(std::uint64_t units, std::uint64_t seed);

  std::chrono::nanoseconds switch_interval() const { return interval_; }

 private:
  void acquire();
  void release();

  const std::chrono::nanoseconds interval_;
  const std::uint64_t
      slice_units_;  // how much work runs between two looks at the clock
  std::mutex mutex_;
  std::condition_variable turn_;
  std::uint64_t next_ticket_ = 0;
  std::uint64_t serving_ = 0;
  std::atomic<int> waiting_{0};
};

}  // namespace kitchen
