#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace chatd::fuzz {

// An independent UTF-8 decoder (by code point value, not by domain/utf8.cpp's byte tables),
// used to judge the code under test rather than trust it.

/// The length of the well-formed UTF-8 sequence at `text[i]`, or 0 when none starts there.
inline std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t len = 0;
  std::uint32_t cp = 0;
  if (lead < 0x80)
    return 1;
  if ((lead & 0xE0) == 0xC0) {
    len = 2;
    cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    len = 3;
    cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    len = 4;
    cp = lead & 0x07;
  } else {
    return 0;
  }
  if (text.size() - i < len)
    return 0;
  for (std::size_t j = 1; j < len; ++j) {
    const auto c = static_cast<unsigned char>(text[i + j]);
    if ((c & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  static constexpr std::uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return len;
}

inline bool oracle_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = utf8_sequence_length(text, i);
    if (len == 0)
      return false;
    i += len;
  }
  return true;
}

/// `text` less every byte that starts no well-formed sequence: valid UTF-8 built from any bytes.
inline std::string keep_valid_utf8(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = utf8_sequence_length(text, i);
    if (len == 0) {
      ++i;
      continue;
    }
    out.append(text.substr(i, len));
    i += len;
  }
  return out;
}

/// The number of code points of `text`, each ill-formed byte counting as one.
inline std::size_t oracle_code_points(std::string_view text) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++n) {
    const std::size_t len = utf8_sequence_length(text, i);
    i += len == 0 ? 1 : len;
  }
  return n;
}

} // namespace chatd::fuzz
