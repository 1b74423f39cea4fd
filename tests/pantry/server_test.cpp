// pantry_server, through its socket and its process: what it answers, when, to how many, what it
// refuses, and that it never outlives its parent. Only lower bounds on time: the tests must pass
// with both cores busy and under the sanitizers.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "pantry/helpers.hpp"
#include "programs/run_program.hpp"

namespace kitchen {
namespace {

using pantry::Frame;
using Clock = std::chrono::steady_clock;

struct Reply {
  pantry::Request request;
  std::vector<std::byte> payload;
};

Reply read_reply(int fd, std::uint32_t payload_bytes) {
  Frame header{};
  Reply reply;
  reply.payload.resize(payload_bytes);
  if (!testing::receive_exact(fd, header.data(), header.size()) ||
      !testing::receive_exact(fd, reply.payload.data(), payload_bytes)) {
    throw std::runtime_error("no reply");
  }
  const pantry::Decoded decoded = pantry::decode(pantry::Kind::reply, header);
  if (!decoded.malformed.empty()) throw std::runtime_error(decoded.malformed);
  reply.request = decoded.request;
  return reply;
}

TEST(PantryServer, PrintsItsPortAndAnswersWithThePayloadAndTheEchoedId) {
  testing::LoggedServer server(100);
  ASSERT_GT(server.port(), 0);
  const pantry::UniqueFd fd = testing::connect_raw(server.port());
  EXPECT_EQ(testing::read_hello(fd.get()).payload_bytes, 100u);
  const Frame request = testing::request_frame(7, 0, 0xABCDEF0123);
  testing::send_all(fd.get(), request.data(), request.size());
  const Reply reply = read_reply(fd.get(), 100);
  EXPECT_EQ(reply.request, (pantry::Request{.ingredient = 7, .delay_us = 0, .id = 0xABCDEF0123}));
  EXPECT_EQ(reply.payload.size(), 100u);
  // Nothing more than one reply per request.
  char extra = 0;
  EXPECT_EQ(::recv(fd.get(), &extra, 1, MSG_DONTWAIT), -1);
}

TEST(PantryServer, AnswersNoSoonerThanTheDelay) {
  testing::LoggedServer server;
  const pantry::UniqueFd fd = testing::connect_raw(server.port());
  testing::read_hello(fd.get());
  const Frame request = testing::request_frame(1, 30'000, 1);
  const auto start = Clock::now();
  testing::send_all(fd.get(), request.data(), request.size());
  read_reply(fd.get(), pantry::kDefaultPayloadBytes);
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(30));
}

TEST(PantryServer, AnswersManyConnectionsWaitingAtOnce) {
  testing::LoggedServer server;
  constexpr int kConnections = 200;
  std::vector<pantry::UniqueFd> fds;
  for (int i = 0; i < kConnections; ++i) {
    fds.push_back(testing::connect_raw(server.port()));
    testing::read_hello(fds.back().get());
  }
  // Every request is in before any reply is read: the server holds them all at once.
  for (int i = 0; i < kConnections; ++i) {
    const Frame request = testing::request_frame(static_cast<std::uint32_t>(i), 5'000,
                                                 static_cast<std::uint64_t>(1000 + i));
    testing::send_all(fds[i].get(), request.data(), request.size());
  }
  for (int i = 0; i < kConnections; ++i) {
    const Reply reply = read_reply(fds[i].get(), pantry::kDefaultPayloadBytes);
    EXPECT_EQ(reply.request.id, static_cast<std::uint64_t>(1000 + i));
    EXPECT_EQ(reply.request.ingredient, static_cast<std::uint32_t>(i));
  }
}

struct Malformed {
  std::string name;
  // The bytes sent
  std::vector<std::byte> bytes;
  // What the server's log line says
  std::string logged;
};

void PrintTo(const Malformed& m, std::ostream* os) { *os << m.name; }

std::vector<std::byte> bytes_of(const Frame& frame) { return {frame.begin(), frame.end()}; }

Malformed spoiled(std::string name, std::size_t at, std::byte value, std::string logged) {
  Frame frame = testing::request_frame(1, 0, 1);
  frame[at] = value;
  return {std::move(name), bytes_of(frame), std::move(logged)};
}

class PantryServerRefuses : public ::testing::TestWithParam<Malformed> {};

TEST_P(PantryServerRefuses, ClosesOnlyThatConnectionAndLogsOneLine) {
  testing::LoggedServer server;
  const pantry::UniqueFd good = testing::connect_raw(server.port());
  testing::read_hello(good.get());
  const pantry::UniqueFd bad = testing::connect_raw(server.port());
  testing::read_hello(bad.get());
  const std::vector<std::byte>& bytes = GetParam().bytes;
  testing::send_all(bad.get(), bytes.data(), bytes.size());
  // A request cut short only shows when the client's side ends.
  if (bytes.size() < pantry::kFrameBytes) ::shutdown(bad.get(), SHUT_WR);
  char ignored = 0;
  EXPECT_EQ(::recv(bad.get(), &ignored, 1, 0), 0) << "the connection is closed";
  // The others are served, before and after.
  for (std::uint64_t id = 1; id <= 2; ++id) {
    const Frame request = testing::request_frame(2, 0, id);
    testing::send_all(good.get(), request.data(), request.size());
    EXPECT_EQ(read_reply(good.get(), pantry::kDefaultPayloadBytes).request.id, id);
  }
  EXPECT_TRUE(server.process().alive());
  const std::string log = server.stop_and_read_log();
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1) << log;
  EXPECT_EQ(log.rfind("pantry_server: connection 2 (127.0.0.1:", 0), 0u) << log;
  EXPECT_NE(log.find(GetParam().logged), std::string::npos) << log;
}

INSTANTIATE_TEST_SUITE_P(
    Requests, PantryServerRefuses,
    ::testing::Values(spoiled("BadMagic", 0, std::byte{'X'}, "malformed request: bad magic"),
                      spoiled("BadVersion", 4, std::byte{2}, "unsupported version 2"),
                      spoiled("ReplyKind", 6, std::byte{2}, "unexpected kind 2"),
                      Malformed{"DelayAboveMaximum",
                                bytes_of(testing::request_frame(1, pantry::kMaxDelayUs + 1, 1)),
                                "above the maximum"},
                      Malformed{"CutShort", std::vector<std::byte>(10, std::byte{'K'}),
                                "request cut short after 10 of 24 bytes"}),
    [](const auto& info) { return info.param.name; });

TEST(PantryServer, ExitsWhenItsStdinCloses) {
  testing::LoggedServer server;
  const pantry::UniqueFd fd = testing::connect_raw(server.port());
  testing::read_hello(fd.get());
  // Not killed after the grace period: it left by itself, with status 0.
  EXPECT_EQ(server.process().stop(std::chrono::seconds(60)), "exited with status 0");
  EXPECT_FALSE(server.process().alive());
  EXPECT_TRUE(server.stop_and_read_log().empty());
}

// Gone, or a zombie nobody has reaped yet.
bool process_gone(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  return close == std::string::npos || text.substr(close + 2, 1) == "Z";
}

TEST(PantryServer, DiesWithItsParentEvenAfterKill9) {
  int pids[2];
  ASSERT_EQ(::pipe(pids), 0);
  const pid_t parent = ::fork();
  ASSERT_GE(parent, 0);
  if (parent == 0) {
    // The child is the server's parent: it starts it, says its pid, and waits to be killed.
    ::close(pids[0]);
    try {
      pantry::PantryProcess server;
      const pid_t pid = server.pid();
      (void)!::write(pids[1], &pid, sizeof pid);
      for (;;) ::pause();
    } catch (...) {
      ::_exit(1);
    }
  }
  ::close(pids[1]);
  pid_t server = -1;
  ASSERT_EQ(::read(pids[0], &server, sizeof server), static_cast<ssize_t>(sizeof server));
  ::close(pids[0]);
  // Readable once the server has exited. Opened while its parent still waits for it, so the pid
  // is still the server's.
  const pantry::UniqueFd exited(static_cast<int>(::syscall(SYS_pidfd_open, server, 0)));
  const std::string why = exited.get() < 0 ? std::strerror(errno) : "";
  const bool was_running = !process_gone(server);
  ::kill(parent, SIGKILL);
  ::waitpid(parent, nullptr, 0);
  ASSERT_TRUE(why.empty()) << "pidfd_open: " << why;
  ASSERT_TRUE(was_running);
  // A limit for a broken server, not a measure: it normally goes within milliseconds.
  pollfd ready{.fd = exited.get(), .events = POLLIN, .revents = 0};
  int polled = 0;
  do {
    polled = ::poll(&ready, 1, 60'000);
  } while (polled < 0 && errno == EINTR);
  EXPECT_EQ(polled, 1) << "pantry_server " << server << " outlived its parent";
  EXPECT_TRUE(process_gone(server));
  if (!process_gone(server)) ::kill(server, SIGKILL);
}

struct BadFlag {
  std::string flag;
  std::string mentions;
};

void PrintTo(const BadFlag& bad, std::ostream* os) { *os << bad.flag; }

class PantryServerBadFlags : public ::testing::TestWithParam<BadFlag> {};

TEST_P(PantryServerBadFlags, ExitTwoWithOneLine) {
  const testing::Run run = testing::run_program("pantry_server", {GetParam().flag});
  EXPECT_EQ(run.signal, 0);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_EQ(run.err.rfind("pantry_server: " + GetParam().mentions, 0), 0u) << run.err;
  EXPECT_TRUE(run.out.empty()) << run.out;
}

INSTANTIATE_TEST_SUITE_P(
    Flags, PantryServerBadFlags,
    ::testing::Values(BadFlag{"--payload-bytes=0", "--payload-bytes=0: '0' is out of range"},
                      BadFlag{"--payload-bytes=abc", "--payload-bytes=abc: 'abc' is not a whole"},
                      BadFlag{"--payload-bytes=2000000", "--payload-bytes=2000000: '2000000'"},
                      BadFlag{"--payload-bytes", "--payload-bytes: no value given"},
                      BadFlag{"--port=80", "unknown flag '--port'"}));

}  // namespace
}  // namespace kitchen
