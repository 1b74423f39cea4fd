// What a test reads of a call that is meant to throw: the message of the error
// it throws, or what the test takes for "it did not throw".
#pragma once

#include <string>
#include <utility>

namespace kitchen::testing {

// The what() of the Error that `call` throws, or `returned` when it returns;
// any other exception goes on up, to fail the test by itself.
template <class Error, class Call>
std::string message_of(Call&& call, std::string returned = "") {
  try {
    std::forward<Call>(call)();
  } catch (const Error& e) {
    return e.what();
  }
  return returned;
}

}  // namespace kitchen::testing
