#include "domain/json_text.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace chatd::domain;

namespace {

std::string json_literal(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

} // namespace

TEST_CASE("every ASCII byte round-trips through nlohmann::json::parse", "[json_text]") {
  for (int b = 0; b < 0x80; ++b) {
    const std::string text = std::string("a") + static_cast<char>(b) + "z";
    const auto literal = json_literal(text);
    INFO("byte " << b << " as " << literal);
    CHECK(nlohmann::json::parse(literal).get<std::string>() == text);
  }
}

TEST_CASE("all ASCII bytes at once round-trip", "[json_text]") {
  std::string text;
  for (int b = 0; b < 0x80; ++b)
    text.push_back(static_cast<char>(b));
  CHECK(nlohmann::json::parse(json_literal(text)).get<std::string>() == text);
}

TEST_CASE("the escapes are the short JSON forms and u00XX for other controls", "[json_text]") {
  CHECK(json_literal("\"") == R"("\"")");
  CHECK(json_literal("\\") == R"("\\")");
  CHECK(json_literal("\n") == R"("\n")");
  CHECK(json_literal("\r") == R"("\r")");
  CHECK(json_literal("\t") == R"("\t")");
  CHECK(json_literal("\b") == R"("\b")");
  CHECK(json_literal("\f") == R"("\f")");
  CHECK(json_literal(std::string("\0", 1)) == R"("\u0000")");
  CHECK(json_literal("\x01") == R"("\u0001")");
  CHECK(json_literal("\x1f") == R"("\u001f")");
  CHECK(json_literal("\x7f") == "\"\x7f\"");
  CHECK(json_literal("/") == R"("/")");
  CHECK(json_literal("") == R"("")");
}

TEST_CASE("multi-byte text is copied through unchanged and round-trips", "[json_text]") {
  const std::string text = "h\xC3\xA9llo \xE4\xB8\x96\xE7\x95\x8C \xF0\x9F\x98\x80 \xE2\x80\xA8 "
                           "\xE2\x80\xA9 \xEF\xBF\xBF";
  CHECK(json_literal(text) == "\"" + text + "\"");
  CHECK(nlohmann::json::parse(json_literal(text)).get<std::string>() == text);
  const std::string mixed = "\xE4\xB8\x96\n\"\xF0\x9F\x98\x80\"\\\x01";
  CHECK(nlohmann::json::parse(json_literal(mixed)).get<std::string>() == mixed);
}

TEST_CASE("append_json_string appends after what is there", "[json_text]") {
  std::string out = "{\"data\":";
  append_json_string(out, "a\"b");
  out += "}";
  CHECK(out == R"({"data":"a\"b"})");
  CHECK(nlohmann::json::parse(out)["data"] == "a\"b");
}

TEST_CASE("a byte to escape is found at any place in long text, as nlohmann writes it",
          "[json_text]") {
  // Text is scanned eight bytes at a time: every offset against that stride, and both ends.
  for (char special : {'"', '\\', '\n', '\x01', '\x1f'}) {
    for (std::size_t length : {std::size_t{8}, std::size_t{9}, std::size_t{17}, std::size_t{40}}) {
      for (std::size_t at = 0; at < length; ++at) {
        std::string text(length, 'a');
        text[at] = special;
        text += "\xC3\xA9"; // and a character of two bytes, both over 0x7F
        INFO("byte " << static_cast<int>(special) << ", length " << length << ", at " << at);
        CHECK(json_literal(text) == nlohmann::json(text).dump());
      }
    }
  }
}
