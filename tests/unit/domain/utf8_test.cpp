#include "domain/utf8.hpp"

#include <string>

#include <catch2/catch.hpp>

using namespace chatd::domain;

TEST_CASE("is_valid_utf8 accepts well-formed text of every length", "[utf8]") {
  for (const std::string& text : {
           std::string(),
           std::string("plain ASCII ~"),
           std::string("nul\0inside", 10),
           std::string("\xC2\x80"),         // U+0080, the first 2-byte character
           std::string("\xC3\xA9"),         // é
           std::string("\xDF\xBF"),         // U+07FF, the last 2-byte character
           std::string("\xE0\xA0\x80"),     // U+0800, the first 3-byte character
           std::string("\xE2\x82\xAC"),     // €
           std::string("\xED\x9F\xBF"),     // U+D7FF, just below the surrogates
           std::string("\xEE\x80\x80"),     // U+E000, just above them
           std::string("\xE2\x80\xA8"),     // U+2028
           std::string("\xEF\xBF\xBF"),     // U+FFFF
           std::string("\xF0\x90\x80\x80"), // U+10000, the first 4-byte character
           std::string("\xF0\x9F\x98\x80"), // 😀
           std::string("\xF4\x8F\xBF\xBF"), // U+10FFFF, the last code point
           std::string("mixed \xC3\xA9 \xE4\xB8\x96 \xF0\x9F\x91\x8B\xF0\x9F\x8F\xBD end"),
       }) {
    INFO(text);
    CHECK(is_valid_utf8(text));
  }
}

TEST_CASE("is_valid_utf8 refuses malformed text", "[utf8]") {
  for (const std::string& text : {
           std::string("\x80"),                 // a lone continuation byte
           std::string("\xBF"),                 // another
           std::string("\xC3\x28"),             // lead byte followed by ASCII
           std::string("\xC0\xAF"),             // overlong '/'
           std::string("\xC1\xBF"),             // overlong U+007F
           std::string("\xE0\x80\xAF"),         // overlong 3-byte '/'
           std::string("\xE0\x9F\xBF"),         // overlong U+07FF
           std::string("\xF0\x80\x80\xAF"),     // overlong 4-byte '/'
           std::string("\xF0\x8F\xBF\xBF"),     // overlong U+FFFF
           std::string("\xED\xA0\x80"),         // U+D800, a surrogate
           std::string("\xED\xBF\xBF"),         // U+DFFF
           std::string("\xF4\x90\x80\x80"),     // U+110000, beyond Unicode
           std::string("\xF5\x80\x80\x80"),     // lead byte of nothing
           std::string("\xF8\x88\x80\x80\x80"), // a 5-byte form
           std::string("\xFE"),
           std::string("\xFF"),
           std::string("\xC3"),             // truncated 2-byte
           std::string("\xE2\x82"),         // truncated 3-byte
           std::string("\xF0\x9F\x98"),     // truncated 4-byte
           std::string("ok\xE2\x82"),       // truncated at the end of good text
           std::string("\xE2\x82\x28"),     // bad third byte
           std::string("\xF0\x9F\x98\x28"), // bad fourth byte
           std::string("\xF0\x9F\x28\x80"), // bad third byte of four
           std::string("\xE2\x28\xAC"),     // bad second byte of three
       }) {
    INFO(text);
    CHECK_FALSE(is_valid_utf8(text));
  }
}

TEST_CASE("is_valid_utf8 finds a bad byte or a character at any place in a long ASCII run",
          "[utf8]") {
  // ASCII is skipped eight bytes at a time: every offset against that stride, and both ends.
  for (std::size_t length : {std::size_t{8}, std::size_t{9}, std::size_t{23}, std::size_t{64}}) {
    for (std::size_t at = 0; at < length; ++at) {
      INFO("length " << length << ", at " << at);
      std::string text(length, 'a');
      text[at] = '\xFF';
      CHECK_FALSE(is_valid_utf8(text));
      text[at] = '\xC3';
      CHECK_FALSE(is_valid_utf8(text)); // a lead byte followed by ASCII, or by nothing
      text.insert(at + 1, 1, '\xA9');
      CHECK(is_valid_utf8(text)); // é
    }
  }
}

TEST_CASE("count_code_points counts characters, not bytes", "[utf8]") {
  CHECK(count_code_points("") == 0);
  CHECK(count_code_points("abc") == 3);
  CHECK(count_code_points("\xC3\xA9") == 1);
  CHECK(count_code_points("h\xC3\xA9llo") == 5);
  CHECK(count_code_points("\xE4\xB8\x96\xE7\x95\x8C") == 2);
  CHECK(count_code_points("\xF0\x9F\x98\x80") == 1);
  CHECK(count_code_points("\xF0\x9F\x91\x8B\xF0\x9F\x8F\xBD") == 2); // 👋🏽 is two code points
  CHECK(count_code_points(std::string("a\0b", 3)) == 3);
}

TEST_CASE("prefix_by_code_points never cuts a character", "[utf8]") {
  const std::string text = "a\xC3\xA9\xE4\xB8\x96\xF0\x9F\x98\x80z"; // a é 世 😀 z
  const std::size_t ends[] = {0, 1, 3, 6, 10, 11};
  for (std::size_t n = 0; n <= 5; ++n) {
    const auto prefix = prefix_by_code_points(text, n);
    INFO(n);
    CHECK(prefix == std::string_view(text).substr(0, ends[n]));
    CHECK(is_valid_utf8(prefix));
    CHECK(count_code_points(prefix) == n);
  }
  CHECK(prefix_by_code_points(text, 6) == text);
  CHECK(prefix_by_code_points(text, 1000) == text);
  CHECK(prefix_by_code_points("", 3).empty());
}

TEST_CASE("prefix_by_code_points points into the original text", "[utf8]") {
  const std::string text = "\xE4\xB8\x96\xE7\x95\x8C";
  const auto prefix = prefix_by_code_points(text, 1);
  CHECK(prefix.data() == text.data());
  CHECK(prefix.size() == 3);
}
