// The wire protocol: fixed-size little-endian frames, and what makes a request malformed.
#include "pantry/protocol.hpp"

#include <gtest/gtest.h>

namespace kitchen::pantry {
namespace {

TEST(PantryProtocol, ARequestRoundTripsThroughItsFrame) {
  const Request request{.ingredient = 7, .delay_us = 1000, .id = 0x0102030405060708};
  Frame frame{};
  encode(Kind::request, request, frame);
  const Decoded decoded = decode(Kind::request, frame);
  EXPECT_TRUE(decoded.malformed.empty()) << decoded.malformed;
  EXPECT_EQ(decoded.request, request);
  // "KPAN", then version 1 and kind 1, little-endian
  EXPECT_EQ(frame[0], std::byte{'K'});
  EXPECT_EQ(frame[3], std::byte{'N'});
  EXPECT_EQ(frame[4], std::byte{1});
  EXPECT_EQ(frame[6], std::byte{1});
  EXPECT_EQ(frame[16], std::byte{0x08});
}

TEST(PantryProtocol, AHelloCarriesThePayloadSize) {
  Frame frame{};
  encode(Hello{.payload_bytes = 4096}, frame);
  const auto hello = decode_hello(frame);
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->payload_bytes, 4096u);
  EXPECT_EQ(hello->max_delay_us, kMaxDelayUs);
  EXPECT_FALSE(decode_hello(Frame{}));
}

TEST(PantryProtocol, MalformedRequestsSayWhy) {
  Frame frame{};
  encode(Kind::request, {.ingredient = 1, .delay_us = 1, .id = 1}, frame);
  Frame bad_magic = frame;
  bad_magic[0] = std::byte{'X'};
  EXPECT_NE(decode(Kind::request, bad_magic).malformed.find("bad magic"), std::string::npos);
  Frame bad_version = frame;
  bad_version[4] = std::byte{9};
  EXPECT_NE(decode(Kind::request, bad_version).malformed.find("version 9"), std::string::npos);
  EXPECT_NE(decode(Kind::reply, frame).malformed.find("unexpected kind 1"), std::string::npos);
  Frame too_long{};
  encode(Kind::request, {.ingredient = 1, .delay_us = kMaxDelayUs + 1, .id = 1}, too_long);
  EXPECT_NE(decode(Kind::request, too_long).malformed.find("above the maximum"), std::string::npos);
}

TEST(PantryProtocol, DelaysRoundUpToMicrosecondsAndStopAtTheMaximum) {
  EXPECT_EQ(delay_us_of(std::chrono::nanoseconds(0)), 0u);
  EXPECT_EQ(delay_us_of(std::chrono::nanoseconds(1)), 1u);
  EXPECT_EQ(delay_us_of(std::chrono::microseconds(1000)), 1000u);
  EXPECT_EQ(delay_us_of(std::chrono::seconds(10)), kMaxDelayUs);
  EXPECT_FALSE(delay_us_of(std::chrono::seconds(10) + std::chrono::microseconds(1)));
  EXPECT_EQ(reply_timeout(1000), std::chrono::milliseconds(1010));
}

}  // namespace
}  // namespace kitchen::pantry
