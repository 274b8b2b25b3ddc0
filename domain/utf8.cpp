#include "domain/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace chatd::domain {

namespace {

bool is_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

} // namespace

bool is_valid_utf8(std::string_view text) {
  auto* p = reinterpret_cast<const unsigned char*>(text.data());
  auto* end = p + text.size();
  while (p < end) {
    // Runs of ASCII eight bytes at a time: the texts checked are mostly ASCII JSON.
    std::uint64_t word;
    while (end - p >= 8 && (std::memcpy(&word, p, 8), (word & 0x8080808080808080ULL) == 0))
      p += 8;
    if (p == end)
      break;
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF; // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0)
        lo = 0xA0; // no overlongs
      else if (c == 0xED)
        hi = 0x9F; // no UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0)
        lo = 0x90;
      else if (c == 0xF4)
        hi = 0x8F; // nothing above U+10FFFF
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) < len || p[1] < lo || p[1] > hi)
      return false;
    for (std::size_t i = 2; i < len; ++i)
      if (!is_continuation(p[i]))
        return false;
    p += len;
  }
  return true;
}

std::size_t count_code_points(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text)
    n += is_continuation(c) ? 0 : 1;
  return n;
}

std::string_view prefix_by_code_points(std::string_view text, std::size_t max_points) {
  std::size_t points = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!is_continuation(static_cast<unsigned char>(text[i]))) {
      if (points == max_points)
        return text.substr(0, i);
      ++points;
    }
  }
  return text;
}

} // namespace chatd::domain
