#include "tools/loadgen/sse_reader.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using chatd::loadgen::sse_reader;

namespace sse_test {
struct event {
  std::string name, data;
  bool operator==(const event& o) const { return name == o.name && data == o.data; }
};

std::vector<event> read_all(sse_reader& r, const std::string& wire, std::size_t piece) {
  std::vector<event> out;
  for (std::size_t i = 0; i < wire.size(); i += piece)
    r.feed(std::string_view(wire).substr(i, piece), [&](std::string_view n, std::string_view d) {
      out.push_back({std::string(n), std::string(d)});
    });
  return out;
}
} // namespace sse_test

using sse_test::event;
using sse_test::read_all;

TEST_CASE("sse: events, names, multi-line data, comments, CRLF, any split", "[loadgen][sse]") {
  const std::string wire = "id: 1\ndata: {\"type\":\"start\"}\n\n"
                           ": keep-alive\n\n"
                           "event: response.output_text.delta\r\ndata: a\r\ndata:b\r\n\r\n"
                           "data: last\n\n";
  const std::vector<event> expected = {
      {"", "{\"type\":\"start\"}"}, {"response.output_text.delta", "a\nb"}, {"", "last"}};
  for (std::size_t piece = 1; piece <= wire.size(); ++piece) {
    INFO("piece size " << piece);
    sse_reader r;
    CHECK(read_all(r, wire, piece) == expected);
    CHECK(r.comments() == 1);
  }
}

TEST_CASE("sse: an event without its blank line is not dispatched", "[loadgen][sse]") {
  sse_reader r;
  CHECK(read_all(r, "data: half\n", 100).empty());
}

TEST_CASE("sse: a line over the limit breaks the stream", "[loadgen][sse]") {
  sse_reader r(16);
  const auto events = read_all(r, "data: " + std::string(40, 'x') + "\n\n", 5);
  CHECK(events.empty());
  CHECK(r.broken());
}
