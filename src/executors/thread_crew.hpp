// The threads a thread executor starts for one service, joined when it ends, whatever happens.
// When the OS refuses a thread, the threads already started are joined and the refusal becomes a
// ResourceLimitError that names the limits in force.
#pragma once

#include <boost/thread/thread.hpp>
#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

#include "executors/executor.hpp"

namespace kitchen {

class ThreadCrew {
 public:
  explicit ThreadCrew(std::size_t expected) { threads_.reserve(expected); }
  ThreadCrew(const ThreadCrew&) = delete;
  ThreadCrew& operator=(const ThreadCrew&) = delete;
  ~ThreadCrew() { join(); }

  template <class F>
  void start(const boost::thread::attributes& attributes, F&& body, std::string_view who) {
    try {
      threads_.emplace_back(attributes, std::forward<F>(body));
    } catch (const boost::thread_resource_error& e) {
      refused(who, e.what());
    }
  }

  // Joins every thread started so far; returns how many there were.
  std::size_t join();

 private:
  // Joins everything, then throws ResourceLimitError naming the limits.
  [[noreturn]] void refused(std::string_view who, const char* why);

  std::vector<boost::thread> threads_;
};

}  // namespace kitchen
