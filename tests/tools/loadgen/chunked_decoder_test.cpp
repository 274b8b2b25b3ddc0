#include "tools/loadgen/chunked_decoder.hpp"

#include <catch2/catch.hpp>

#include <string>

using chatd::loadgen::chunked_decoder;

namespace chunked_test {
using status = chunked_decoder::status;

// Feeds `wire` in pieces of `piece` bytes; returns the payload and the last status.
std::pair<std::string, status> decode(const std::string& wire, std::size_t piece) {
  chunked_decoder d;
  std::string out;
  status s = status::more;
  for (std::size_t i = 0; i < wire.size() && s == status::more; i += piece)
    s = d.feed(std::string_view(wire).substr(i, piece), [&](std::string_view b) { out.append(b); });
  return {out, s};
}
} // namespace chunked_test

using chunked_test::decode;
using chunked_status = chunked_decoder::status;

TEST_CASE("chunked: payload is the chunks joined, in any split", "[loadgen][chunked]") {
  const std::string wire = "5\r\nhello\r\n1A;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n";
  for (std::size_t piece = 1; piece <= wire.size(); ++piece) {
    const auto [out, s] = decode(wire, piece);
    INFO("piece size " << piece);
    CHECK(s == chunked_status::done);
    CHECK(out == "helloabcdefghijklmnopqrstuvwxyz");
  }
}

TEST_CASE("chunked: trailers are skipped and bytes after the end are left", "[loadgen][chunked]") {
  chunked_decoder d;
  std::string out;
  const std::string wire = "3\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\nNEXT";
  CHECK(d.feed(wire, [&](std::string_view b) { out.append(b); }) == chunked_status::done);
  CHECK(out == "abc");
  CHECK(d.consumed() == wire.size() - 4);
}

TEST_CASE("chunked: an unfinished body asks for more", "[loadgen][chunked]") {
  const auto [out, s] = decode("4\r\nwo", 100);
  CHECK(s == chunked_status::more);
  CHECK(out == "wo");
}

TEST_CASE("chunked: malformed framing is an error", "[loadgen][chunked]") {
  CHECK(decode("zz\r\n", 100).second == chunked_status::error);
  CHECK(decode("\r\n", 100).second == chunked_status::error);
  CHECK(decode("3\r\nabcX\r\n", 100).second == chunked_status::error); // no CRLF after the data
  CHECK(decode("3\rXabc", 100).second == chunked_status::error);
  CHECK(decode("1000000000000000\r\n", 100).second == chunked_status::error); // 16 hex digits
}
