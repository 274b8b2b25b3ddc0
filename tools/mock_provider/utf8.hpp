#pragma once
// The few UTF-8 facts the mock needs so that no delta ever ends inside a character.

#include <cstddef>
#include <string_view>

namespace chatd::mock::utf8 {

/// True for the 10xxxxxx bytes that continue a character.
inline bool is_continuation(unsigned char byte) {
  return (byte & 0xC0) == 0x80;
}

/// Number of characters (code points) in valid UTF-8.
inline std::size_t count_code_points(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text)
    n += is_continuation(c) ? 0 : 1;
  return n;
}

/// Strict check (no overlongs, no surrogates, nothing above U+10FFFF): JSON encoders reject
/// the rest, and an answer must always be encodable.
inline bool is_valid(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = 0;
    char32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > text.size())
      return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if (!is_continuation(cc))
        return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    const char32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

} // namespace chatd::mock::utf8
