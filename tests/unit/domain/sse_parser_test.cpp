#include "domain/sse_parser.hpp"

#include <catch2/catch.hpp>

using namespace chatd::domain;

namespace {

using messages = std::vector<sse_message>;

bool operator_eq(const sse_message& a, const sse_message& b) {
  return a.event == b.event && a.data == b.data && a.id == b.id;
}

std::string show(const messages& ms) {
  std::string s;
  for (auto& m : ms)
    s += "{event=" + m.event + " id=" + m.id + " data=" + m.data + "}";
  return s;
}

bool same(const messages& a, const messages& b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!operator_eq(a[i], b[i]))
      return false;
  return true;
}

messages parse_pieces(const std::vector<std::string>& pieces, std::size_t max_line = 1 << 20) {
  sse_parser p(max_line);
  messages out;
  for (auto& piece : pieces)
    p.feed(piece, out);
  return out;
}

messages parse_whole(const std::string& s) {
  return parse_pieces({s});
}

// LF, CRLF and CR line ends, comments, unknown fields, multi-line data, UTF-8.
const std::string mixed_stream = ": a comment\r\n"
                                 "event: response.created\r\n"
                                 "id: 7\r\n"
                                 "data: {\"a\":1}\r\n"
                                 "\r\n"
                                 "data: line1\n"
                                 "data: line2\n"
                                 "data:\n"
                                 "\n"
                                 "data:no-space\r"
                                 "\r"
                                 "retry: 100\n"
                                 "whatever: x\n"
                                 "data:  two spaces\n"
                                 "data: \xC3\xA9\xE4\xB8\x96\xF0\x9F\x98\x80\r\n"
                                 "\n";

const messages mixed_expected = {
    {"response.created", "{\"a\":1}", "7"},
    {"", "line1\nline2\n", ""},
    {"", "no-space", ""},
    {"", " two spaces\n\xC3\xA9\xE4\xB8\x96\xF0\x9F\x98\x80", ""},
};

} // namespace

TEST_CASE("a mixed stream parses into its messages", "[sse_parser]") {
  const auto got = parse_whole(mixed_stream);
  INFO(show(got));
  CHECK(same(got, mixed_expected));
}

TEST_CASE("LF, CRLF and CR line ends give the same messages", "[sse_parser]") {
  const messages expected = {{"", "a\nb", "1"}, {"x", "c", ""}};
  for (std::string eol : {"\n", "\r\n", "\r"}) {
    const std::string s = "id: 1" + eol + "data: a" + eol + "data: b" + eol + eol + "event: x" +
                          eol + "data: c" + eol + eol;
    INFO("eol size " << eol.size());
    CHECK(same(parse_whole(s), expected));
  }
}

TEST_CASE("the stream split at every position gives the same messages", "[sse_parser]") {
  for (std::size_t k = 0; k <= mixed_stream.size(); ++k) {
    const auto got = parse_pieces({mixed_stream.substr(0, k), mixed_stream.substr(k)});
    INFO("split at " << k << ": " << show(got));
    REQUIRE(same(got, mixed_expected));
  }
}

TEST_CASE("the stream split at every pair of positions gives the same messages", "[sse_parser]") {
  const auto n = mixed_stream.size();
  for (std::size_t a = 1; a < n; ++a)
    for (std::size_t b = a + 1; b < n; ++b) {
      const auto got = parse_pieces(
          {mixed_stream.substr(0, a), mixed_stream.substr(a, b - a), mixed_stream.substr(b)});
      INFO("split at " << a << " and " << b << ": " << show(got));
      REQUIRE(same(got, mixed_expected));
    }
}

TEST_CASE("the stream fed byte by byte gives the same messages", "[sse_parser]") {
  std::vector<std::string> bytes;
  for (char c : mixed_stream)
    bytes.emplace_back(1, c);
  const auto got = parse_pieces(bytes);
  INFO(show(got));
  CHECK(same(got, mixed_expected));
}

TEST_CASE("a CR at the end of one chunk and LF at the start of the next are one line end",
          "[sse_parser]") {
  const auto got = parse_pieces({"data: a\r", "\ndata: b\r", "\n\r", "\n"});
  INFO(show(got));
  CHECK(same(got, {{"", "a\nb", ""}}));
}

TEST_CASE("an empty chunk between CR and LF does not split the CRLF", "[sse_parser]") {
  const auto got = parse_pieces({"data: a\r", "", "\ndata: b\r\n\r\n"});
  INFO(show(got));
  CHECK(same(got, {{"", "a\nb", ""}}));
}

TEST_CASE("a lone CR at the end of a chunk ends the line at once", "[sse_parser]") {
  sse_parser p;
  messages out;
  p.feed("data: a\r\r", out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].data == "a");
  p.feed("data: b\n\n", out); // no LF swallowed: the next line starts cleanly
  REQUIRE(out.size() == 2);
  CHECK(out[1].data == "b");
}

TEST_CASE("comments and events without data dispatch nothing", "[sse_parser]") {
  CHECK(parse_whole(": keep-alive\n\n: another\r\n\r\n").empty());
  CHECK(parse_whole("event: ping\nid: 3\n\n").empty());
  // ... and a field-less event does not leak its event name or id into the next one
  CHECK(same(parse_whole("event: ping\nid: 3\n\ndata: x\n\n"), {{"", "x", ""}}));
}

TEST_CASE("a data line without a colon is an empty data field", "[sse_parser]") {
  CHECK(same(parse_whole("data\n\n"), {{"", "", ""}}));
  CHECK(same(parse_whole("data\ndata\n\n"), {{"", "\n", ""}}));
}

TEST_CASE("an unfinished message is not dispatched", "[sse_parser]") {
  CHECK(parse_whole("data: pending\n").empty());
  CHECK(parse_whole("data: pending").empty());
}

TEST_CASE("an id holding NUL is ignored", "[sse_parser]") {
  const std::string s = std::string("id: a\0b\ndata: x\n\n", 17);
  CHECK(same(parse_whole(s), {{"", "x", ""}}));
}

TEST_CASE("a line within max_line is accepted however it is split", "[sse_parser]") {
  const std::string line = "data: 0123456789"; // 16 bytes
  sse_parser whole(16);
  messages out;
  CHECK(whole.feed(line + "\n\n", out));
  CHECK_FALSE(whole.broken());
  sse_parser bytewise(16);
  for (char c : line + "\n\n")
    CHECK(bytewise.feed(std::string(1, c), out));
  CHECK_FALSE(bytewise.broken());
  REQUIRE(out.size() == 2);
  CHECK(out[1].data == "0123456789");
}

TEST_CASE("a line over max_line marks the stream broken however it is split", "[sse_parser]") {
  const std::string stream = "data: 0123456789abc\n\n"; // a 19-byte line, limit 16
  SECTION("byte by byte") {
    sse_parser p(16);
    messages out;
    bool ok = true;
    for (char c : stream)
      ok = p.feed(std::string(1, c), out) && ok;
    CHECK_FALSE(ok);
    CHECK(p.broken());
    CHECK(out.empty());
  }
  SECTION("in two chunks, the second holding the line end") {
    sse_parser p(16);
    messages out;
    p.feed("data: 0123", out);
    p.feed("456789abc\n\n", out);
    CHECK(p.broken());
    CHECK(out.empty());
  }
  SECTION("whole") {
    sse_parser p(16);
    messages out;
    CHECK_FALSE(p.feed(stream, out));
    CHECK(p.broken());
    CHECK(out.empty());
  }
}

TEST_CASE("a broken stream stays broken and yields nothing more", "[sse_parser]") {
  sse_parser p(8);
  messages out;
  CHECK_FALSE(p.feed("data: 0123456789", out)); // unterminated and already too long
  CHECK(p.broken());
  CHECK_FALSE(p.feed("\n\ndata: ok\n\n", out));
  CHECK(out.empty());
}
