#include "programs/run_program.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace kitchen::testing {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

namespace {

std::string temp_file() {
  std::string name = "/tmp/kitchen_test_XXXXXX";
  const int fd = mkstemp(name.data());
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  close(fd);
  return name;
}

std::string slurp(const std::string& path) {
  std::string text = read_file(path);
  std::remove(path.c_str());
  return text;
}

}  // namespace

std::string program_path(const std::string& program) {
  return std::string(KITCHEN_BIN_DIR) + "/" + program;
}

Run run_shell(const std::string& command) {
  Run run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed for: " + command);
  char buffer[4096];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe))
    run.out.append(buffer, n);
  const int status = pclose(pipe);
  if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) run.signal = WTERMSIG(status);
  return run;
}

Run run_under_limit(const std::string& limit, const std::string& program, const std::string& args) {
  return run_shell("ulimit " + limit + "; exec " + program_path(program) + " " + args +
                   " 2>/dev/null");
}

Run run_program(const std::string& program, const std::vector<std::string>& args) {
  // A path runs as given (a system tool, say); a bare name is one of the suite's.
  const std::string path = program.find('/') != std::string::npos ? program : program_path(program);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(path.c_str()));
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  const std::string out = temp_file(), err = temp_file();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_TRUNC, 0);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_TRUNC, 0);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, path.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot start " + path);
  int status = 0;
  waitpid(pid, &status, 0);
  Run run;
  if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) run.signal = WTERMSIG(status);
  run.out = slurp(out);
  run.err = slurp(err);
  return run;
}

Background::Background(const std::string& program, const std::vector<std::string>& args,
                       const std::string& out_path) {
  const std::string path = program.find('/') != std::string::npos ? program : program_path(program);
  terminal_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  char name[128] = {};
  if (terminal_ < 0 || ::grantpt(terminal_) != 0 || ::unlockpt(terminal_) != 0 ||
      ::ptsname_r(terminal_, name, sizeof name) != 0) {
    if (terminal_ >= 0) ::close(terminal_);
    throw std::runtime_error("cannot open a pseudo-terminal");
  }
  const int side = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(path.c_str()));
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, side, 2);
  const int spawned =
      side < 0 ? errno : posix_spawn(&pid_, path.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  // Only the program holds the terminal's other side now: once it (and any child of its) is
  // gone, reading this side ends.
  if (side >= 0) ::close(side);
  if (spawned != 0) {
    ::close(terminal_);
    throw std::runtime_error("cannot start " + path);
  }
  // Opened while the program is our unreaped child: the pid cannot have been reused.
  pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
  if (pidfd_ < 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    ::close(terminal_);
    throw std::runtime_error("pidfd_open failed: the kernel is older than 5.3");
  }
}

Background::~Background() {
  if (!exited_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (terminal_ >= 0) ::close(terminal_);
  ::close(pidfd_);
}

void Background::read_some(int timeout_ms) {
  pollfd ready[2] = {{.fd = terminal_, .events = POLLIN, .revents = 0},
                     {.fd = exited_ ? -1 : pidfd_, .events = POLLIN, .revents = 0}};
  if (::poll(ready, 2, timeout_ms) <= 0) return;
  if (ready[0].revents != 0) {
    char chunk[4096];
    const ssize_t got = ::read(terminal_, chunk, sizeof chunk);
    if (got > 0) {
      for (ssize_t i = 0; i < got; ++i) {
        if (chunk[i] != '\r') err_ += chunk[i];
      }
    } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
      // EIO: nothing holds the other side any more.
      ::close(terminal_);
      terminal_ = -1;
    }
  }
  if (ready[1].revents != 0) {
    int status = 0;
    if (::waitpid(pid_, &status, 0) == pid_) status_ = status;
    exited_ = true;
  }
}

std::optional<std::string> Background::line_with(const std::string& part,
                                                 std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (std::size_t end; (end = err_.find('\n', scanned_)) != std::string::npos;) {
      std::string line = err_.substr(scanned_, end - scanned_);
      scanned_ = end + 1;
      if (line.find(part) != std::string::npos) return line;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (terminal_ < 0 || left <= 0) return std::nullopt;
    read_some(static_cast<int>(left));
  }
}

std::optional<int> Background::wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!exited_) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) return std::nullopt;
    read_some(static_cast<int>(left));
  }
  // What it wrote last, up to what is there now.
  for (std::size_t before = err_.size() + 1; terminal_ >= 0 && before != err_.size();) {
    before = err_.size();
    read_some(0);
  }
  return status_;
}

}  // namespace kitchen::testing
