#include "pantry/errors.hpp"

#include <cstdio>

#include "pantry/protocol.hpp"

namespace kitchen::pantry {
namespace {

class Category : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "pantry"; }

  std::string message(int value) const override {
    switch (static_cast<Error>(value)) {
      case Error::timed_out:
        return "no reply in time (timed out)";
      case Error::closed:
        return "the server closed the connection (EOF)";
      case Error::bad_reply:
        return "the reply does not answer the request";
      case Error::unusable:
        return "the connection is out of step after an earlier failed or cancelled fetch";
      case Error::delay_too_long:
        return "delay above the protocol's maximum of " + std::to_string(kMaxDelayUs) + " us";
      case Error::busy:
        return "a fetch is already in progress on this connection";
    }
    return "pantry error " + std::to_string(value);
  }
};

}  // namespace

const boost::system::error_category& pantry_category() {
  static const Category category;
  return category;
}

std::string connection_name(std::uint32_t number, std::uint16_t port) {
  return "pantry connection " + std::to_string(number) + " to 127.0.0.1:" + std::to_string(port);
}

std::string fetch_failure(const std::string& name, std::uint32_t ingredient, std::uint64_t request,
                          std::uint32_t delay_us, const boost::system::error_code& error) {
  std::string cause = error.message();
  if (error == Error::timed_out) {
    char text[96];
    std::snprintf(text, sizeof text, "no reply within %.3f s (timed out)",
                  std::chrono::duration<double>(reply_timeout(delay_us)).count());
    cause = text;
  }
  return name + ": fetching ingredient " + std::to_string(ingredient) + " (request " +
         std::to_string(request) + ", delay " + std::to_string(delay_us) + " us): " + cause;
}

}  // namespace kitchen::pantry
