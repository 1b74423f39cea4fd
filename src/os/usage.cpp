#include "os/usage.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
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

std::int64_t thread_runqueue_wait_ns() {
  // "<time on CPU> <time waiting on a run queue> <timeslices>", all of this thread. Read with
  // plain system calls into a buffer on the stack: a thread calls it as it ends.
  const int fd = ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char text[96];
  const ssize_t n = ::read(fd, text, sizeof text - 1);
  ::close(fd);
  if (n <= 0) return -1;
  const char* end = text + n;
  const char* p = text;
  while (p < end && *p != ' ') ++p;
  std::int64_t waited = -1;
  if (p < end && std::from_chars(p + 1, end, waited).ec != std::errc()) return -1;
  return waited;
}

}  // namespace kitchen::os
