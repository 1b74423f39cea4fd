#include "pantry/uring_probe.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#if defined(BOOST_ASIO_HAS_IO_URING)
#include <liburing.h>
#else
#include <linux/io_uring.h>
#include <sys/syscall.h>
#endif

namespace kitchen::pantry {
namespace {

// The ring size Asio asks for (detail/io_uring_service.hpp).
constexpr unsigned kAsioRingEntries = 16384;

std::string sysctl_io_uring_disabled() {
  std::ifstream in("/proc/sys/kernel/io_uring_disabled");
  std::string value;
  in >> value;
  return value;
}

// 0, or the errno of setting up a ring.
int try_ring() {
#if defined(BOOST_ASIO_HAS_IO_URING)
  io_uring ring{};
  const int result = ::io_uring_queue_init(kAsioRingEntries, &ring, 0);
  if (result < 0) return -result;
  ::io_uring_queue_exit(&ring);
  return 0;
#else
  io_uring_params params{};
  const long fd = ::syscall(SYS_io_uring_setup, kAsioRingEntries, &params);
  if (fd < 0) return errno;
  ::close(static_cast<int>(fd));
  return 0;
#endif
}

}  // namespace

std::optional<std::string> io_uring_refusal() {
  const int error = try_ring();
  if (error == 0) return std::nullopt;
  const std::string disabled = sysctl_io_uring_disabled();
  switch (error) {
    case EPERM:
      if (disabled == "2") {
        return "io_uring_setup was refused (EPERM): kernel.io_uring_disabled is 2 (io_uring is "
               "off for everyone)";
      }
      if (disabled == "1") {
        return "io_uring_setup was refused (EPERM): kernel.io_uring_disabled is 1 (only "
               "kernel.io_uring_group may use it)";
      }
      return "io_uring_setup was refused (EPERM): a seccomp filter (a container's default "
             "profile, say) forbids it";
    case ENOSYS:
      return "io_uring_setup does not exist here (ENOSYS): the kernel has no io_uring, or a "
             "seccomp filter hides it";
    case ENOMEM:
      return "io_uring_setup could not allocate a ring of 16384 entries (ENOMEM): locked-memory "
             "limit (ulimit -l) or memory cgroup";
    default:
      return std::string("io_uring_setup failed: ") + std::strerror(error);
  }
}

}  // namespace kitchen::pantry
