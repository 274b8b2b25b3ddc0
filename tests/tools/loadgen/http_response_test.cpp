#include "tools/loadgen/http_response.hpp"

#include <catch2/catch.hpp>

using namespace chatd::loadgen;

namespace http_test {
using status = http_response_reader::status;

struct fed {
  std::string body;
  status last = status::more;
  bool saw_head_done = false;
};

fed feed_all(http_response_reader& r, const std::string& wire, std::size_t piece) {
  fed f;
  for (std::size_t i = 0; i < wire.size(); i += piece) {
    f.last = r.feed(std::string_view(wire).substr(i, piece),
                    [&](std::string_view b) { f.body.append(b); });
    f.saw_head_done = f.saw_head_done || f.last == status::head_done;
    if (f.last == status::done || f.last == status::error)
      break;
  }
  return f;
}
} // namespace http_test

using http_test::feed_all;
using http_status = http_response_reader::status;

TEST_CASE("head: status, lower-case names, trimmed values", "[loadgen][http]") {
  const auto h = parse_response_head("HTTP/1.1 429 Too Many\r\nRetry-After:  3 \r\n"
                                     "Set-Cookie: s=abc; Path=/\r\nContent-Length: 12\r\n\r\n");
  REQUIRE(h);
  CHECK(h->status == 429);
  CHECK(h->field("retry-after") == std::string_view("3"));
  CHECK(h->field("set-cookie") == std::string_view("s=abc; Path=/"));
  CHECK(h->content_length == 12u);
  CHECK_FALSE(h->chunked);
  CHECK_FALSE(h->field("x-none"));
}

TEST_CASE("head: malformed ones are refused", "[loadgen][http]") {
  CHECK_FALSE(parse_response_head("HTTP/1.1 20 OK\r\n\r\n"));
  CHECK_FALSE(parse_response_head("SIP/2.0 200 OK\r\n\r\n"));
  CHECK_FALSE(parse_response_head("HTTP/1.1 200 OK\r\nno colon\r\n\r\n"));
  CHECK_FALSE(parse_response_head("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n"));
  CHECK_FALSE(parse_response_head("HTTP/1.1 200 OK\r\n"));
}

TEST_CASE("reader: a chunked event stream split anywhere", "[loadgen][http]") {
  const std::string wire = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n"
                           "6\r\ndata: \r\n3\r\n1\n\n\r\n0\r\n\r\n";
  for (std::size_t piece = 1; piece <= wire.size(); ++piece) {
    INFO("piece size " << piece);
    http_response_reader r;
    const auto f = feed_all(r, wire, piece);
    CHECK(f.last == http_status::done);
    CHECK(f.body == "data: 1\n\n");
    REQUIRE(r.head());
    CHECK(r.head()->status == 200);
    CHECK(r.head()->chunked);
  }
}

TEST_CASE("reader: Content-Length and read-until-close bodies", "[loadgen][http]") {
  http_response_reader sized;
  const auto f = feed_all(sized, "HTTP/1.1 201 Created\r\nContent-Length: 5\r\n\r\nhelloEXTRA", 7);
  CHECK(f.last == http_status::done);
  CHECK(f.body == "hello");

  http_response_reader open_ended;
  const auto g = feed_all(open_ended, "HTTP/1.0 200 OK\r\n\r\nstream", 100);
  CHECK(g.last == http_status::head_done);
  CHECK(g.body == "stream");
  CHECK(open_ended.ends_with_connection());
}

TEST_CASE("reader: an empty sized body is done with the head", "[loadgen][http]") {
  http_response_reader r;
  CHECK(feed_all(r, "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n", 100).last ==
        http_status::done);
}

TEST_CASE("reader: a head that never ends is an error", "[loadgen][http]") {
  http_response_reader r;
  const std::string junk = "HTTP/1.1 200 OK\r\n" + std::string(70000, 'x');
  CHECK(feed_all(r, junk, 4096).last == http_status::error);
}
