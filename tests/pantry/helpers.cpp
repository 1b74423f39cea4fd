#include "pantry/helpers.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace kitchen::testing {
namespace {

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

std::uint16_t port_of(int fd) {
  sockaddr_in address{};
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  return ntohs(address.sin_port);
}

// A TCP socket bound to 127.0.0.1 on a port the kernel chooses.
pantry::UniqueFd bound_socket() {
  pantry::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  const sockaddr_in address = loopback(0);
  if (fd.get() < 0 ||
      ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address)) {
    throw std::runtime_error("cannot bind a socket on 127.0.0.1");
  }
  return fd;
}

}  // namespace

LoggedServer::LoggedServer(std::uint32_t payload_bytes) {
  log_path_ = "/tmp/kitchen_pantry_log_XXXXXX";
  log_fd_ = ::mkstemp(log_path_.data());
  if (log_fd_ < 0) throw std::runtime_error("mkstemp failed");
  pantry::PantryOptions options;
  options.payload_bytes = payload_bytes;
  options.stderr_fd = log_fd_;
  process_ = std::make_unique<pantry::PantryProcess>(options);
}

LoggedServer::~LoggedServer() {
  process_.reset();
  ::close(log_fd_);
  ::unlink(log_path_.c_str());
}

std::string LoggedServer::stop_and_read_log() {
  process_->stop(std::chrono::seconds(60));
  std::ifstream in(log_path_);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

pantry::UniqueFd connect_raw(std::uint16_t port) {
  pantry::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  const timeval patience{.tv_sec = 60, .tv_usec = 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
  const sockaddr_in address = loopback(port);
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("cannot connect to port " + std::to_string(port));
  }
  return fd;
}

void send_all(int fd, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::send(fd, bytes, size, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("send failed");
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
}

bool receive_exact(int fd, void* data, std::size_t size) {
  auto* bytes = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t n = ::recv(fd, bytes, size, 0);
    if (n <= 0) return false;
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

pantry::Hello read_hello(int fd) {
  pantry::Frame frame{};
  if (!receive_exact(fd, frame.data(), frame.size())) throw std::runtime_error("no hello");
  const auto hello = pantry::decode_hello(frame);
  if (!hello) throw std::runtime_error("bad hello");
  return *hello;
}

pantry::Frame request_frame(std::uint32_t ingredient, std::uint32_t delay_us, std::uint64_t id) {
  pantry::Frame frame{};
  pantry::encode(pantry::Kind::request, {.ingredient = ingredient, .delay_us = delay_us, .id = id},
                 frame);
  return frame;
}

ClosedPort::ClosedPort() : fd_(bound_socket()), port_(port_of(fd_.get())) {}

SilentServer::SilentServer() : listener_(bound_socket()), port_(port_of(listener_.get())) {
  ::listen(listener_.get(), 1);
  thread_ = std::thread([this] {
    const int fd = ::accept(listener_.get(), nullptr, nullptr);
    if (fd < 0) return;
    accepted_ = fd;
    pantry::Frame hello{};
    pantry::encode(pantry::Hello{}, hello);
    send_all(fd, hello.data(), hello.size());
    char ignored[256];
    while (::recv(fd, ignored, sizeof ignored, 0) > 0) {
    }
  });
}

SilentServer::~SilentServer() {
  // Wakes the thread wherever it is: in accept() or in recv().
  ::shutdown(listener_.get(), SHUT_RDWR);
  if (const int fd = accepted_.load(); fd >= 0) ::shutdown(fd, SHUT_RDWR);
  thread_.join();
  if (const int fd = accepted_.load(); fd >= 0) ::close(fd);
}

}  // namespace kitchen::testing
