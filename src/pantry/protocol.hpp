// The pantry's wire protocol, over one TCP connection per chef. Every message is a fixed-size
// binary frame, so that both sides read exact sizes and never parse a stream:
//
//   on accept, server -> client: a hello, 24 bytes
//     u32 magic 0x4E41504B ("KPAN" on the wire)   u16 version 1   u16 kind 3 (hello)
//     u32 payload_bytes (every reply's payload)   u32 max_delay_us (10,000,000)
//     u64 zero
//   client -> server: a request, 24 bytes
//     u32 magic   u16 version   u16 kind 1 (request)
//     u32 ingredient   u32 delay_us   u64 request_id
//   server -> client, delay_us after the request arrived: a reply, 24 + payload_bytes bytes
//     u32 magic   u16 version   u16 kind 2 (reply)
//     u32 ingredient   u32 delay_us   u64 request_id (the request's three fields, echoed)
//     payload_bytes bytes of payload
//
// All integers are little-endian. A client sends one request and reads one reply at a time; the
// server also answers a pipelined connection, in order. The server refuses a request whose magic,
// version or kind is wrong or whose delay is above max_delay_us, and one cut short by the end of
// the connection: it logs one line and closes that connection only. Knowing payload_bytes from the
// hello, a client reads each reply with one exact-size read.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace kitchen::pantry {

inline constexpr std::uint32_t kMagic = 0x4E41504B;
inline constexpr std::uint16_t kVersion = 1;
inline constexpr std::size_t kFrameBytes = 24;
inline constexpr std::uint32_t kMaxDelayUs = 10'000'000;
inline constexpr std::uint32_t kDefaultPayloadBytes = 64;
inline constexpr std::uint32_t kMaxPayloadBytes = 1 << 20;

enum class Kind : std::uint16_t { request = 1, reply = 2, hello = 3 };

using Frame = std::array<std::byte, kFrameBytes>;

// A request, or the header of its reply (the same fields, echoed).
struct Request {
  std::uint32_t ingredient = 0;
  std::uint32_t delay_us = 0;
  std::uint64_t id = 0;

  bool operator==(const Request&) const = default;
};

struct Hello {
  std::uint32_t payload_bytes = kDefaultPayloadBytes;
  std::uint32_t max_delay_us = kMaxDelayUs;
};

// Writes the frame of a request (kind request) or of a reply's header (kind reply).
void encode(Kind kind, const Request& request, Frame& frame);
void encode(const Hello& hello, Frame& frame);

// The request or reply in `frame`, or why it is malformed ("bad magic 0x12345678", "delay
// 20000000 us above the maximum 10000000 us"): one phrase, for a log line or an error message.
struct Decoded {
  Request request;
  std::string malformed;
};
Decoded decode(Kind expected, const Frame& frame);

// The hello in `frame`, or nothing if it is not one.
std::optional<Hello> decode_hello(const Frame& frame);

// The delay a request carries: rounded up to whole microseconds, so the server never waits less
// than asked. Nothing when it is above kMaxDelayUs.
std::optional<std::uint32_t> delay_us_of(std::chrono::nanoseconds delay);

// How long a client waits for a reply: 10 times the delay, plus 1 s.
inline std::chrono::nanoseconds reply_timeout(std::uint32_t delay_us) {
  return std::chrono::microseconds(delay_us) * 10 + std::chrono::seconds(1);
}

}  // namespace kitchen::pantry
