#pragma once
// Opaque ids shaped like OpenAI's: a type prefix and random hex.

#include <random>
#include <string>
#include <string_view>

namespace chatd::mock {

/// `<prefix><32 hex digits>`, e.g. `resp_3f9a...`; unique enough that tests never collide.
inline std::string random_id(std::string_view prefix) {
  // One generator per thread: no lock on the hot path of thousands of streams.
  thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr char hex[] = "0123456789abcdef";
  std::string id(prefix);
  for (int half = 0; half < 2; ++half) {
    auto bits = engine();
    for (int i = 0; i < 16; ++i, bits >>= 4)
      id.push_back(hex[bits & 0xF]);
  }
  return id;
}

} // namespace chatd::mock
