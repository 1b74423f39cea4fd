#include "pantry/connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace kitchen::pantry {
namespace {

using boost::system::error_code;
using boost::system::system_category;

constexpr std::chrono::seconds kOpenTimeout{5};

timeval timeval_of(std::chrono::nanoseconds d) {
  const auto us = std::chrono::ceil<std::chrono::microseconds>(d).count();
  return {.tv_sec = static_cast<time_t>(us / 1'000'000),
          .tv_usec = static_cast<suseconds_t>(us % 1'000'000)};
}

bool set_socket_timeout(int fd, int option, std::chrono::nanoseconds d) {
  const timeval tv = timeval_of(d);
  return ::setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv) == 0;
}

// errno after a failed call, as an error code; EAGAIN after SO_RCVTIMEO/SO_SNDTIMEO is a timeout.
error_code last_error() {
  if (errno == EAGAIN || errno == EWOULDBLOCK) return Error::timed_out;
  return {errno, system_category()};
}

[[noreturn]] void refuse_open(const std::string& name, const std::string& step,
                              const std::string& cause) {
  throw PantryError(name + ": " + step + ": " + cause);
}

}  // namespace

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

Traffic& Traffic::operator+=(const Traffic& other) {
  requests += other.requests;
  bytes_sent += other.bytes_sent;
  bytes_received += other.bytes_received;
  socket_calls += other.socket_calls;
  return *this;
}

OpenedSocket open_socket(std::uint16_t port, const std::string& name) {
  UniqueFd socket(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  const int fd = socket.get();
  if (fd < 0) refuse_open(name, "socket", std::strerror(errno));
  // A blocking connect waits at most SO_SNDTIMEO (when the server's backlog is full, say).
  set_socket_timeout(fd, SO_SNDTIMEO, kOpenTimeout);
  set_socket_timeout(fd, SO_RCVTIMEO, kOpenTimeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int result = 0;
  do {
    result = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  } while (result != 0 && errno == EINTR);
  if (result != 0) {
    const bool late = errno == EINPROGRESS || errno == EAGAIN;
    refuse_open(name, "connect", late ? "no answer within 5 s (timed out)" : std::strerror(errno));
  }
  const int on = 1;
  if (::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) != 0) {
    refuse_open(name, "TCP_NODELAY", std::strerror(errno));
  }
  Frame frame{};
  ssize_t got = 0;
  do {
    got = ::recv(fd, frame.data(), frame.size(), MSG_WAITALL);
  } while (got < 0 && errno == EINTR);
  if (got < 0) {
    const bool late = errno == EAGAIN || errno == EWOULDBLOCK;
    refuse_open(name, "hello", late ? "no hello within 5 s (timed out)" : std::strerror(errno));
  }
  if (static_cast<std::size_t>(got) != frame.size()) {
    refuse_open(name, "hello", "the server closed the connection before its hello (EOF)");
  }
  const std::optional<Hello> hello = decode_hello(frame);
  if (!hello) refuse_open(name, "hello", "not a pantry server (bad hello)");
  return {.fd = std::move(socket), .hello = *hello};
}

PantryConnection::PantryConnection(std::uint16_t port, std::uint32_t number)
    : name_(connection_name(number, port)) {
  OpenedSocket opened = open_socket(port, name_);
  fd_ = std::move(opened.fd);
  payload_bytes_ = opened.hello.payload_bytes;
  reply_bytes_ = kFrameBytes + payload_bytes_;
  reply_ = std::make_unique<std::byte[]>(reply_bytes_);
}

void PantryConnection::fail(const error_code& error) {
  if (error != Error::delay_too_long) broken_ = true;
  throw PantryError(
      fetch_failure(name_, request_.ingredient, request_.id, request_.delay_us, error));
}

void PantryConnection::fetch(std::uint32_t ingredient, std::chrono::nanoseconds delay) {
  const std::optional<std::uint32_t> delay_us = delay_us_of(delay);
  request_ = {.ingredient = ingredient,
              .delay_us = delay_us.value_or(kMaxDelayUs + 1),
              .id = traffic_.requests + 1};
  if (!delay_us) fail(Error::delay_too_long);
  if (!usable()) fail(Error::unusable);
  ++traffic_.requests;
  set_timeout(request_.delay_us);
  send_request();
  receive_reply();
}

void PantryConnection::set_timeout(std::uint32_t delay_us) {
  if (timeout_for_us_ == delay_us) return;
  if (!set_socket_timeout(fd_.get(), SO_RCVTIMEO, reply_timeout(delay_us)) ||
      !set_socket_timeout(fd_.get(), SO_SNDTIMEO, reply_timeout(delay_us))) {
    fail({errno, system_category()});
  }
  timeout_for_us_ = delay_us;
}

void PantryConnection::send_request() {
  encode(Kind::request, request_, frame_);
  std::size_t sent = 0;
  while (sent < frame_.size()) {
    ++traffic_.socket_calls;
    const ssize_t n = ::send(fd_.get(), frame_.data() + sent, frame_.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(last_error());
    sent += static_cast<std::size_t>(n);
    traffic_.bytes_sent += static_cast<std::uint64_t>(n);
  }
}

void PantryConnection::receive_reply() {
  // MSG_WAITALL returns the whole reply in one call unless a signal, the timeout or an error
  // cuts it short; each further call waits the timeout again.
  const auto deadline = std::chrono::steady_clock::now() + reply_timeout(request_.delay_us);
  std::size_t got = 0;
  while (got < reply_bytes_) {
    ++traffic_.socket_calls;
    const ssize_t n = ::recv(fd_.get(), reply_.get() + got, reply_bytes_ - got, MSG_WAITALL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(last_error());
    if (n == 0) fail(Error::closed);
    got += static_cast<std::size_t>(n);
    traffic_.bytes_received += static_cast<std::uint64_t>(n);
    if (got < reply_bytes_ && std::chrono::steady_clock::now() > deadline) fail(Error::timed_out);
  }
  Frame header;
  std::memcpy(header.data(), reply_.get(), header.size());
  const Decoded reply = decode(Kind::reply, header);
  if (!reply.malformed.empty() || reply.request != request_) fail(Error::bad_reply);
}

std::vector<PantryConnection> open_connections(std::uint16_t port, std::size_t count,
                                               std::uint32_t first) {
  std::vector<PantryConnection> connections;
  connections.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    connections.emplace_back(port, first + static_cast<std::uint32_t>(i));
  }
  return connections;
}

std::uint64_t raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur;
}

}  // namespace kitchen::pantry
