#include "pantry/pantry_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "pantry/connection.hpp"
#include "pantry/errors.hpp"

extern char** environ;

namespace kitchen::pantry {
namespace {

using std::chrono::nanoseconds;
using Clock = std::chrono::steady_clock;

std::string beside_this_program(const std::string& name) {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return name;
  return (self.parent_path() / name).string();
}

std::string how_it_ended(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "stopped";
}

// The first line the server prints, or why there is none: "" and `why` set.
std::string read_first_line(int fd, Clock::time_point deadline, std::string& why) {
  std::string line;
  char chunk[64];
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      why = "timed out";
      return "";
    }
    pollfd ready{.fd = fd, .events = POLLIN, .revents = 0};
    const int polled = ::poll(&ready, 1, static_cast<int>(left));
    if (polled < 0 && errno == EINTR) continue;
    if (polled == 0) continue;
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      why = "eof";
      return "";
    }
    line.append(chunk, static_cast<std::size_t>(n));
    if (const auto end = line.find('\n'); end != std::string::npos) return line.substr(0, end);
  }
}

nanoseconds ticks_to_ns(unsigned long long ticks) {
  static const long per_second = ::sysconf(_SC_CLK_TCK);
  return nanoseconds(static_cast<std::int64_t>(ticks * (1'000'000'000ULL / per_second)));
}

// Fields 14 and 15 (utime, stime) of /proc/<pid>/stat, after the command's closing parenthesis.
std::optional<nanoseconds> stat_cpu(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  // Fields 3 to 13, then 14 and 15.
  for (int i = 3; i <= 13; ++i) fields >> field;
  if (!(fields >> utime >> stime)) return std::nullopt;
  return ticks_to_ns(utime + stime);
}

// The first field of every thread's /proc/<pid>/task/<tid>/schedstat: time on a CPU, in ns.
std::optional<nanoseconds> schedstat_cpu(pid_t pid) {
  std::error_code error;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  std::int64_t total = 0;
  bool any = false;
  for (const auto& task : std::filesystem::directory_iterator(tasks, error)) {
    std::ifstream in(task.path() / "schedstat");
    std::int64_t on_cpu = 0;
    if (!(in >> on_cpu)) return std::nullopt;
    total += on_cpu;
    any = true;
  }
  if (error || !any) return std::nullopt;
  return nanoseconds(total);
}

nanoseconds cpu_of(const rusage& usage) {
  const auto time = [](const timeval& t) {
    return std::chrono::seconds(t.tv_sec) + std::chrono::microseconds(t.tv_usec);
  };
  return time(usage.ru_utime) + time(usage.ru_stime);
}

}  // namespace

PantryProcess::PantryProcess(const PantryOptions& options)
    : program_(options.program.empty() ? beside_this_program("pantry_server") : options.program) {
  int in[2] = {-1, -1};
  int out[2] = {-1, -1};
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) {
    const std::string cause = std::strerror(errno);
    for (int fd : {in[0], in[1], out[0], out[1]}) {
      if (fd >= 0) ::close(fd);
    }
    throw PantryError("pantry_server: cannot make its pipes: " + cause);
  }
  // The child gets the pipes as its stdin and stdout; the originals close at exec (CLOEXEC),
  // so only this process holds the write end of the server's stdin.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  if (options.stderr_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, options.stderr_fd, STDERR_FILENO);
  }
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
  const std::string payload = "--payload-bytes=" + std::to_string(options.payload_bytes);
  std::vector<char*> argv = {program_.data(), const_cast<char*>(payload.c_str()), nullptr};
  const int spawned =
      ::posix_spawn(&pid_, program_.c_str(), &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(in[0]);
  ::close(out[1]);
  stdin_ = in[1];
  if (spawned != 0) {
    ::close(out[0]);
    ::close(stdin_);
    pid_ = -1;
    throw PantryError("pantry_server: cannot start " + program_ + ": " + std::strerror(spawned));
  }
  std::string why;
  const std::string line = read_first_line(out[0], Clock::now() + options.start_timeout, why);
  // Nothing more is read: the server prints only its port.
  ::close(out[0]);
  unsigned port = 0;
  const auto [end, error] = std::from_chars(line.data(), line.data() + line.size(), port);
  if (why.empty() && error == std::errc() && end == line.data() + line.size() && port > 0 &&
      port < 65536) {
    port_ = static_cast<std::uint16_t>(port);
    return;
  }
  std::string cause;
  if (why == "timed out") {
    cause = "printed no port within " + std::to_string(options.start_timeout.count()) + " ms";
    stop(std::chrono::milliseconds(0));
  } else if (why == "eof") {
    cause = stop(std::chrono::seconds(5)) + " before printing its port (see its stderr)";
  } else {
    cause = "printed '" + line + "' instead of its port";
    stop(std::chrono::milliseconds(0));
  }
  throw PantryError("pantry_server: " + program_ + " " + cause);
}

PantryProcess::~PantryProcess() { stop(); }

void PantryProcess::reaped(int status, nanoseconds cpu) {
  ended_ = how_it_ended(status);
  final_cpu_ = cpu;
}

bool PantryProcess::alive() {
  if (pid_ < 0 || !ended_.empty()) return false;
  int status = 0;
  rusage usage{};
  pid_t result = 0;
  do {
    result = ::wait4(pid_, &status, WNOHANG, &usage);
  } while (result < 0 && errno == EINTR);
  if (result == 0) return true;
  if (result == pid_) {
    reaped(status, cpu_of(usage));
  } else {
    ended_ = std::string("lost (wait4: ") + std::strerror(errno) + ")";
  }
  return false;
}

nanoseconds PantryProcess::cpu_time() {
  if (!alive()) return final_cpu_;
  if (const auto scheduled = schedstat_cpu(pid_)) return *scheduled;
  return stat_cpu(pid_).value_or(final_cpu_);
}

bool PantryProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  if (!alive()) return true;
  const auto deadline = Clock::now() + timeout;
  // Readable once the process has exited. Opened while it is still our unreaped child, so the
  // pid cannot have been reused. By syscall(): glibc 2.36's <sys/pidfd.h> declares pidfd_open
  // without C linkage for C++.
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
  while (alive()) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) break;
    if (pidfd >= 0) {
      pollfd exited{.fd = pidfd, .events = POLLIN, .revents = 0};
      ::poll(&exited, 1, static_cast<int>(left));
    } else {
      // No pidfds (a kernel before 5.3): look again every millisecond.
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  if (pidfd >= 0) ::close(pidfd);
  return !alive();
}

std::string PantryProcess::stop(std::chrono::milliseconds grace) {
  if (stdin_ >= 0) {
    ::close(stdin_);
    stdin_ = -1;
  }
  if (!wait_for_exit(grace)) {
    kill();
    int status = 0;
    rusage usage{};
    pid_t result = 0;
    do {
      result = ::wait4(pid_, &status, 0, &usage);
    } while (result < 0 && errno == EINTR);
    if (result == pid_) reaped(status, cpu_of(usage));
  }
  return ended_;
}

void PantryProcess::kill() {
  if (pid_ > 0 && ended_.empty()) ::kill(pid_, SIGKILL);
}

Capacity measure_capacity(PantryProcess& server, std::uint64_t requests,
                          std::uint32_t connections) {
  connections = std::max<std::uint32_t>(connections, 1);
  const std::uint64_t each = std::max<std::uint64_t>(requests / connections, 1);
  nanoseconds cpu_before{0};
  Clock::time_point start;
  std::chrono::duration<double> took{0};
  try {
    std::vector<pantry::PantryConnection> clients;
    clients.reserve(connections);
    for (std::uint32_t c = 0; c < connections; ++c) clients.emplace_back(server.port(), c);
    for (pantry::PantryConnection& client : clients) {
      for (int i = 0; i < 100; ++i) client.fetch(0, nanoseconds(0));
    }
    cpu_before = server.cpu_time();
    // Every client's thread is started, then released at once, so that they overlap.
    std::atomic<bool> go{false};
    std::vector<std::exception_ptr> failed(connections);
    std::vector<std::thread> threads;
    threads.reserve(connections);
    for (std::uint32_t c = 0; c < connections; ++c) {
      threads.emplace_back([&, c] {
        while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
        try {
          for (std::uint64_t i = 0; i < each; ++i) {
            clients[c].fetch(static_cast<std::uint32_t>(i), nanoseconds(0));
          }
        } catch (...) {
          failed[c] = std::current_exception();
        }
      });
    }
    start = Clock::now();
    go.store(true, std::memory_order_release);
    for (std::thread& t : threads) t.join();
    took = Clock::now() - start;
    for (const std::exception_ptr& e : failed) {
      if (e) std::rethrow_exception(e);
    }
  } catch (const PantryError& e) {
    // A server that dies breaks the connection: the error says the connection's side (reset,
    // EOF), and the server's exit says why. Its sockets close while it exits, a moment before
    // it can be reaped.
    if (server.wait_for_exit(std::chrono::milliseconds(300))) {
      throw PantryError(std::string(e.what()) + "; the pantry server has died (" + server.ended() +
                        ")");
    }
    throw;
  }
  Capacity capacity;
  capacity.requests = each * connections;
  capacity.connections = connections;
  capacity.seconds = took.count();
  capacity.requests_per_s =
      took.count() > 0 ? static_cast<double>(capacity.requests) / took.count() : 0;
  capacity.server_cpu = server.cpu_time() - cpu_before;
  return capacity;
}

}  // namespace kitchen::pantry
