// How a pantry connection fails. Asynchronous fetches complete with an error_code (the system's,
// or one of the pantry's own below); a connection turns it into a PantryError, whose message
// names the connection and the cause:
//
//   pantry connection 3 to 127.0.0.1:40123: fetching ingredient 7 (request 12, delay 1000 us):
//   connection reset by peer
#pragma once

#include <boost/system/error_code.hpp>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace kitchen::pantry {

class PantryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The pantry's own causes, beside the system's (connection refused, reset by peer...).
enum class Error {
  // No reply within reply_timeout() of the request.
  timed_out = 1,
  // The server closed the connection (EOF) before the reply was complete.
  closed,
  // A reply that is not the one asked for (bad frame, another request's id).
  bad_reply,
  // A fetch on a connection whose last fetch failed or was cancelled: a reply may still be on
  // its way, so the connection is out of step and is not used again.
  unusable,
  // A delay above the protocol's maximum (kMaxDelayUs).
  delay_too_long,
  // The connection is already fetching: one fetch at a time per connection.
  busy,
};

const boost::system::error_category& pantry_category();

inline boost::system::error_code make_error_code(Error e) {
  return {static_cast<int>(e), pantry_category()};
}

// "pantry connection 3 to 127.0.0.1:40123"
std::string connection_name(std::uint32_t number, std::uint16_t port);

// The message of the PantryError for a fetch that failed with `error`.
std::string fetch_failure(const std::string& name, std::uint32_t ingredient, std::uint64_t request,
                          std::uint32_t delay_us, const boost::system::error_code& error);

}  // namespace kitchen::pantry

template <>
struct boost::system::is_error_code_enum<kitchen::pantry::Error> : std::true_type {};
