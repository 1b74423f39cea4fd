// Which reactor Asio runs on in this program, and whether io_uring can be used at all.
//
// Asio uses io_uring for sockets only when the whole program is compiled with
// BOOST_ASIO_HAS_IO_URING and BOOST_ASIO_DISABLE_EPOLL (bench_kitchen_uring); then every
// io_context needs io_uring_setup, which a kernel or a sandbox may refuse. A program asks
// io_uring_refusal() first and turns a refusal into error rows, instead of meeting it as an
// exception from the first socket or timer.
#pragma once

#include <boost/asio/detail/config.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace kitchen::pantry {

// "io_uring" in a program built for it, otherwise "epoll": the asio_reactor context key and the
// rows' /reactor: segment.
constexpr std::string_view asio_reactor() {
#if defined(BOOST_ASIO_HAS_IO_URING_AS_DEFAULT)
  return "io_uring";
#else
  return "epoll";
#endif
}

// Nothing when this process may set up a ring the size Asio's (16384 entries); otherwise why
// not, in words: "io_uring_setup was refused (EPERM): kernel.io_uring_disabled is 2 ...". With
// liburing in the io_uring build, with the raw system call in the others.
std::optional<std::string> io_uring_refusal();

}  // namespace kitchen::pantry
