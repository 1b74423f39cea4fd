#include "pantry/async_connection.hpp"

#include <sys/ioctl.h>
#include <sys/socket.h>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstring>

namespace kitchen::pantry {

using boost::asio::awaitable;
using boost::asio::redirect_error;
using boost::asio::use_awaitable;
using boost::system::error_code;

AsyncPantryConnection::AsyncPantryConnection(const executor_type& executor, std::uint16_t port,
                                             std::uint32_t number)
    : socket_(executor), deadline_(executor), name_(connection_name(number, port)) {
  OpenedSocket opened = open_socket(port, name_);
  // The socket is non-blocking from now on: the open's timeouts no longer apply.
  const timeval none{};
  ::setsockopt(opened.fd.get(), SOL_SOCKET, SO_RCVTIMEO, &none, sizeof none);
  ::setsockopt(opened.fd.get(), SOL_SOCKET, SO_SNDTIMEO, &none, sizeof none);
  socket_.assign(boost::asio::ip::tcp::v4(), opened.fd.get());
  opened.fd.release();
  reply_.resize(kFrameBytes + opened.hello.payload_bytes);
}

AsyncPantryConnection::AsyncPantryConnection(const executor_type& executor, int connected_fd,
                                             const Hello& hello, std::string name)
    : socket_(executor), deadline_(executor), name_(std::move(name)), borrowed_(true) {
  socket_.assign(boost::asio::ip::tcp::v4(), connected_fd);
  reply_.resize(kFrameBytes + hello.payload_bytes);
}

AsyncPantryConnection::~AsyncPantryConnection() { release(); }

int AsyncPantryConnection::release() {
  if (!borrowed_ || !socket_.is_open()) return -1;
  const int fd = socket_.native_handle();
  // Asio made the socket non-blocking for its first operation: its owner blocks on it.
  if (socket_.native_non_blocking()) {
    int off = 0;
    ::ioctl(fd, FIONBIO, &off);
  }
  boost::system::error_code ignored;
  socket_.release(ignored);
  return fd;
}

PantryError AsyncPantryConnection::error(const error_code& error) const {
  return PantryError(
      fetch_failure(name_, request_.ingredient, request_.id, request_.delay_us, error));
}

void AsyncPantryConnection::cancel() {
  cancelled_ = true;
  if (in_progress_) socket_.cancel();
}

error_code AsyncPantryConnection::begin(std::uint32_t ingredient, std::chrono::nanoseconds delay) {
  if (in_progress_) return Error::busy;
  const std::optional<std::uint32_t> delay_us = delay_us_of(delay);
  request_ = {.ingredient = ingredient,
              .delay_us = delay_us.value_or(kMaxDelayUs + 1),
              .id = traffic_.requests + 1};
  if (!delay_us) return Error::delay_too_long;
  if (cancelled_) return boost::asio::error::operation_aborted;
  if (broken_) return Error::unusable;
  ++traffic_.requests;
  encode(Kind::request, request_, frame_);
  in_progress_ = true;
  timed_out_ = false;
  ++generation_;
  deadline_.expires_after(reply_timeout(request_.delay_us));
  return {};
}

void AsyncPantryConnection::on_deadline(const error_code& error, std::uint64_t generation) {
  // Cancelled because the fetch ended: the connection may be gone by now, so touch nothing.
  if (error) return;
  if (generation != generation_ || !in_progress_) return;
  timed_out_ = true;
  socket_.cancel();
}

error_code AsyncPantryConnection::end(error_code error, std::size_t sent, std::size_t received) {
  in_progress_ = false;
  deadline_.cancel();
  traffic_.bytes_sent += sent;
  traffic_.bytes_received += received;
  if (error == boost::asio::error::operation_aborted && timed_out_ && !cancelled_) {
    error = Error::timed_out;
  } else if (error == boost::asio::error::eof) {
    error = Error::closed;
  } else if (!error) {
    Frame header;
    std::memcpy(header.data(), reply_.data(), header.size());
    const Decoded reply = decode(Kind::reply, header);
    if (!reply.malformed.empty() || reply.request != request_) error = Error::bad_reply;
  }
  if (error) broken_ = true;
  return error;
}

awaitable<void> fetch(AsyncPantryConnection& connection, std::uint32_t ingredient,
                      std::chrono::nanoseconds delay) {
  error_code error;
  co_await async_fetch(connection, ingredient, delay, redirect_error(use_awaitable, error));
  if (error) throw connection.error(error);
}

std::vector<AsyncPantryConnection> open_async_connections(
    const AsyncPantryConnection::executor_type& executor, std::uint16_t port, std::size_t count,
    std::uint32_t first) {
  std::vector<AsyncPantryConnection> connections;
  connections.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    connections.emplace_back(executor, port, first + static_cast<std::uint32_t>(i));
  }
  return connections;
}

}  // namespace kitchen::pantry
