// pantry_server: the pantry as a real server, for the kitchen's net rows. One thread runs one
// io_context; every connection is a coroutine that reads a request, waits the delay it names on
// its own steady_timer, and writes the reply with a fixed-size payload (protocol.hpp).
//
//   pantry_server [--payload-bytes=N]
//
// It listens on 127.0.0.1, on a port the kernel chooses, and prints that port as the first line
// of stdout. It exits when its stdin closes: its parent keeps the other end of a pipe open, so
// the server never outlives it, even after a kill -9. A malformed request closes its connection
// and logs one line on stderr; the server goes on serving the others.
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cli/flags.hpp"
#include "os/timer_slack.hpp"
#include "pantry/connection.hpp"
#include "pantry/protocol.hpp"

namespace {

using boost::asio::awaitable;
using boost::asio::buffer;
using boost::asio::co_spawn;
using boost::asio::detached;
using boost::asio::redirect_error;
using boost::asio::steady_timer;
using boost::asio::use_awaitable;
using boost::asio::ip::tcp;
using boost::asio::posix::stream_descriptor;
using boost::system::error_code;
using kitchen::pantry::Frame;
using kitchen::pantry::Kind;

constexpr const char* kUsage = R"(usage: pantry_server [flags]
Serves the kitchen's pantry on 127.0.0.1: prints its port as the first line of stdout, answers
each request after the delay it names, and exits when stdin closes.
  --payload-bytes=N   bytes of payload in every reply, 1..1048576 (default 64)
)";

// What every connection shares; the loop's only thread touches it.
struct Pantry {
  Frame hello{};
  std::vector<std::byte> payload;
  std::uint64_t connections = 0;
};

void log_line(const std::string& text) {
  std::fprintf(stderr, "pantry_server: %s\n", text.c_str());
  std::fflush(stderr);
}

std::string peer_of(const tcp::socket& socket) {
  error_code error;
  const tcp::endpoint peer = socket.remote_endpoint(error);
  if (error) return "unknown peer";
  return peer.address().to_string() + ":" + std::to_string(peer.port());
}

// One connection, from its hello to its end.
awaitable<void> serve(tcp::socket socket, const Pantry& pantry, std::uint64_t number) {
  error_code error;
  socket.set_option(tcp::no_delay(true), error);
  const std::string who = "connection " + std::to_string(number) + " (" + peer_of(socket) + ")";
  co_await async_write(socket, buffer(pantry.hello), redirect_error(use_awaitable, error));
  if (error) co_return;
  steady_timer delay(socket.get_executor());
  Frame request_frame{};
  Frame reply_frame{};
  for (;;) {
    const std::size_t got =
        co_await async_read(socket, buffer(request_frame), redirect_error(use_awaitable, error));
    // The client closed the connection between requests: the normal end.
    if (error && got == 0) co_return;
    if (error) {
      log_line(who + ": request cut short after " + std::to_string(got) + " of " +
               std::to_string(request_frame.size()) + " bytes (" + error.message() + "); closed");
      co_return;
    }
    const kitchen::pantry::Decoded request = decode(Kind::request, request_frame);
    if (!request.malformed.empty()) {
      log_line(who + ": malformed request: " + request.malformed + "; closed");
      co_return;
    }
    if (request.request.delay_us > 0) {
      delay.expires_after(std::chrono::microseconds(request.request.delay_us));
      co_await delay.async_wait(redirect_error(use_awaitable, error));
    }
    encode(Kind::reply, request.request, reply_frame);
    const std::array reply{boost::asio::const_buffer(buffer(reply_frame)),
                           boost::asio::const_buffer(buffer(pantry.payload))};
    co_await async_write(socket, reply, redirect_error(use_awaitable, error));
    if (error) co_return;
  }
}

awaitable<void> listen(tcp::acceptor& acceptor, Pantry& pantry) {
  steady_timer pause(acceptor.get_executor());
  error_code last_error;
  for (;;) {
    error_code error;
    tcp::socket socket = co_await acceptor.async_accept(redirect_error(use_awaitable, error));
    if (error) {
      // Out of file descriptors, say: said once, then retried every 10 ms.
      if (error != last_error) log_line("accept: " + error.message() + "; retrying");
      last_error = error;
      pause.expires_after(std::chrono::milliseconds(10));
      co_await pause.async_wait(redirect_error(use_awaitable, error));
      continue;
    }
    last_error = {};
    co_spawn(acceptor.get_executor(), serve(std::move(socket), pantry, ++pantry.connections),
             detached);
  }
}

// Returns when stdin reaches its end (or fails): the parent has gone or asked us to stop.
awaitable<void> watch_stdin(stream_descriptor input, boost::asio::io_context& loop) {
  std::array<char, 256> ignored{};
  error_code error;
  while (!error) {
    co_await input.async_read_some(buffer(ignored), redirect_error(use_awaitable, error));
  }
  loop.stop();
}

std::uint32_t parse(int argc, char** argv) {
  using namespace kitchen::cli;
  std::uint32_t payload_bytes = kitchen::pantry::kDefaultPayloadBytes;
  const FlagRule rules[] = {
      {"--payload-bytes",
       [&](const Flag& f) {
         payload_bytes =
             static_cast<std::uint32_t>(parse_uint(f, 1, kitchen::pantry::kMaxPayloadBytes));
       }},
  };
  parse_flags(argc, argv, rules);
  return payload_bytes;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::fputs(kUsage, stdout);
      return 0;
    }
  }
  Pantry pantry;
  try {
    pantry.payload.assign(parse(argc, argv), std::byte{'p'});
  } catch (const kitchen::cli::UsageError& e) {
    std::fprintf(stderr, "pantry_server: %s\n", e.what());
    return 2;
  }
  encode(kitchen::pantry::Hello{.payload_bytes = static_cast<std::uint32_t>(pantry.payload.size())},
         pantry.hello);
  kitchen::os::set_timer_slack(std::chrono::nanoseconds(1));
  // A client that has gone is an error code on its socket, never a signal.
  std::signal(SIGPIPE, SIG_IGN);
  kitchen::pantry::raise_open_file_limit();
  // Asio makes stdin non-blocking; its flags are put back at exit (it may be a terminal).
  const int stdin_flags = ::fcntl(STDIN_FILENO, F_GETFL);
  if (stdin_flags < 0) {
    log_line("stdin is not open, so nothing could ever stop the server; not starting");
    return 1;
  }
  boost::asio::io_context loop(1);
  tcp::acceptor acceptor(loop);
  try {
    acceptor = tcp::acceptor(loop, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
  } catch (const boost::system::system_error& e) {
    log_line(std::string("cannot listen on 127.0.0.1: ") + e.what());
    return 1;
  }
  std::printf("%u\n", static_cast<unsigned>(acceptor.local_endpoint().port()));
  std::fflush(stdout);
  co_spawn(loop, listen(acceptor, pantry), detached);
  co_spawn(loop, watch_stdin(stream_descriptor(loop, ::dup(STDIN_FILENO)), loop), detached);
  loop.run();
  ::fcntl(STDIN_FILENO, F_SETFL, stdin_flags);
  return 0;
}
