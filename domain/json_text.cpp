#include "domain/json_text.hpp"

#include <cstdint>
#include <cstring>

namespace chatd::domain {

namespace {

constexpr std::uint64_t ones = 0x0101010101010101ULL;
constexpr std::uint64_t highs = 0x8080808080808080ULL;

/// Whether any of the eight bytes of `word` must be escaped: a control character (below 0x20),
/// a quote or a backslash. Exact as a yes or no (bytes of 0x80 and above never count).
bool needs_escape(std::uint64_t word) {
  auto has_zero = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
  return ((word - ones * 0x20) & ~word & highs) | has_zero(word ^ (ones * '"')) |
         has_zero(word ^ (ones * '\\'));
}

} // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0; // start of the current run of bytes that need no escaping
  for (std::size_t i = 0; i < text.size(); ++i) {
    // Eight bytes at a time while none needs escaping: most text needs none, and a whole
    // answer is written at the end of every turn.
    std::uint64_t word;
    while (text.size() - i >= 8 && (std::memcpy(&word, text.data() + i, 8), !needs_escape(word)))
      i += 8;
    if (i == text.size())
      break;
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
    case '"':
      out.append("\\\"");
      break;
    case '\\':
      out.append("\\\\");
      break;
    case '\n':
      out.append("\\n");
      break;
    case '\r':
      out.append("\\r");
      break;
    case '\t':
      out.append("\\t");
      break;
    case '\b':
      out.append("\\b");
      break;
    case '\f':
      out.append("\\f");
      break;
    default:
      out.append("\\u00");
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 0xF]);
    }
  }
  out.append(text.data() + run, text.size() - run);
  out.push_back('"');
}

} // namespace chatd::domain
