#include "pantry/protocol.hpp"

#include <cstdio>

namespace kitchen::pantry {
namespace {

template <class T>
void put(Frame& frame, std::size_t at, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    frame[at + i] = static_cast<std::byte>((static_cast<std::uint64_t>(value) >> (8 * i)) & 0xff);
  }
}

template <class T>
T get(const Frame& frame, std::size_t at) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    value |= static_cast<std::uint64_t>(frame[at + i]) << (8 * i);
  }
  return static_cast<T>(value);
}

// Offsets of the fields, the same in every kind of frame.
constexpr std::size_t kMagicAt = 0;
constexpr std::size_t kVersionAt = 4;
constexpr std::size_t kKindAt = 6;
constexpr std::size_t kFirstAt = 8;
constexpr std::size_t kSecondAt = 12;
constexpr std::size_t kIdAt = 16;

void put_head(Frame& frame, Kind kind) {
  put<std::uint32_t>(frame, kMagicAt, kMagic);
  put<std::uint16_t>(frame, kVersionAt, kVersion);
  put<std::uint16_t>(frame, kKindAt, static_cast<std::uint16_t>(kind));
}

std::string hex(std::uint64_t value) {
  char text[32];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

}  // namespace

void encode(Kind kind, const Request& request, Frame& frame) {
  put_head(frame, kind);
  put<std::uint32_t>(frame, kFirstAt, request.ingredient);
  put<std::uint32_t>(frame, kSecondAt, request.delay_us);
  put<std::uint64_t>(frame, kIdAt, request.id);
}

void encode(const Hello& hello, Frame& frame) {
  put_head(frame, Kind::hello);
  put<std::uint32_t>(frame, kFirstAt, hello.payload_bytes);
  put<std::uint32_t>(frame, kSecondAt, hello.max_delay_us);
  put<std::uint64_t>(frame, kIdAt, 0);
}

Decoded decode(Kind expected, const Frame& frame) {
  Decoded decoded;
  const auto magic = get<std::uint32_t>(frame, kMagicAt);
  const auto version = get<std::uint16_t>(frame, kVersionAt);
  const auto kind = get<std::uint16_t>(frame, kKindAt);
  decoded.request = {.ingredient = get<std::uint32_t>(frame, kFirstAt),
                     .delay_us = get<std::uint32_t>(frame, kSecondAt),
                     .id = get<std::uint64_t>(frame, kIdAt)};
  if (magic != kMagic) {
    decoded.malformed = "bad magic " + hex(magic) + " (expected " + hex(kMagic) + ")";
  } else if (version != kVersion) {
    decoded.malformed = "unsupported version " + std::to_string(version) + " (expected " +
                        std::to_string(kVersion) + ")";
  } else if (kind != static_cast<std::uint16_t>(expected)) {
    decoded.malformed = "unexpected kind " + std::to_string(kind) + " (expected " +
                        std::to_string(static_cast<std::uint16_t>(expected)) + ")";
  } else if (decoded.request.delay_us > kMaxDelayUs) {
    decoded.malformed = "delay " + std::to_string(decoded.request.delay_us) +
                        " us above the maximum " + std::to_string(kMaxDelayUs) + " us";
  }
  return decoded;
}

std::optional<Hello> decode_hello(const Frame& frame) {
  if (get<std::uint32_t>(frame, kMagicAt) != kMagic) return std::nullopt;
  if (get<std::uint16_t>(frame, kVersionAt) != kVersion) return std::nullopt;
  if (get<std::uint16_t>(frame, kKindAt) != static_cast<std::uint16_t>(Kind::hello)) {
    return std::nullopt;
  }
  const Hello hello{.payload_bytes = get<std::uint32_t>(frame, kFirstAt),
                    .max_delay_us = get<std::uint32_t>(frame, kSecondAt)};
  if (hello.payload_bytes > kMaxPayloadBytes) return std::nullopt;
  return hello;
}

std::optional<std::uint32_t> delay_us_of(std::chrono::nanoseconds delay) {
  if (delay.count() <= 0) return 0;
  const auto us = std::chrono::ceil<std::chrono::microseconds>(delay).count();
  if (us > kMaxDelayUs) return std::nullopt;
  return static_cast<std::uint32_t>(us);
}

}  // namespace kitchen::pantry
