// domain::sse_parser on arbitrary bytes cut at input-chosen points: the messages (and whether
// the stream counts as broken) must not depend on the cut, and must match a plain reading of
// the whole stream line by line.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "domain/sse_parser.hpp"
#include "support/check.hpp"
#include "support/pieces.hpp"

using chatd::domain::sse_message;
using chatd::domain::sse_parser;

namespace {

struct outcome {
  std::vector<sse_message> messages;
  bool broken = false;
};

bool same(const sse_message& a, const sse_message& b) {
  return a.event == b.event && a.data == b.data && a.id == b.id;
}

bool same(const outcome& a, const outcome& b) {
  if (a.broken != b.broken || a.messages.size() != b.messages.size())
    return false;
  for (std::size_t i = 0; i < a.messages.size(); ++i)
    if (!same(a.messages[i], b.messages[i]))
      return false;
  return true;
}

/// The field rules of sse_parser.hpp applied to one line.
void reference_line(std::string_view line, sse_message& pending, bool& has_data,
                    std::vector<sse_message>& out) {
  if (line.empty()) {
    if (has_data)
      out.push_back(pending);
    pending = {};
    has_data = false;
    return;
  }
  if (line[0] == ':')
    return;
  const auto colon = line.find(':');
  const auto field = line.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
  if (!value.empty() && value[0] == ' ')
    value.remove_prefix(1);
  if (field == "data") {
    pending.data += has_data ? "\n" : "";
    pending.data += value;
    has_data = true;
  } else if (field == "event") {
    pending.event = value;
  } else if (field == "id" && value.find('\0') == std::string_view::npos) {
    pending.id = value;
  }
}

/// The whole stream read at once: lines end in CRLF, LF or CR; a line (finished or not)
/// longer than `max_line` breaks the stream, after the messages before it.
outcome reference(std::string_view stream, std::size_t max_line) {
  outcome r;
  sse_message pending;
  bool has_data = false;
  std::size_t i = 0;
  for (;;) {
    const auto end = stream.find_first_of("\r\n", i);
    const std::size_t len = (end == std::string_view::npos ? stream.size() : end) - i;
    if (len > max_line)
      r.broken = true;
    if (r.broken || end == std::string_view::npos)
      return r;
    reference_line(stream.substr(i, len), pending, has_data, r.messages);
    i = end + 1;
    if (stream[end] == '\r' && i < stream.size() && stream[i] == '\n')
      ++i;
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto in = chatd::fuzz::read_split_input(data, size);
  // A header byte with its top bit set asks for a tiny line limit, so that the "broken"
  // path is reached by inputs of fuzzing size; seed files (text) keep the real 1 MiB default.
  const std::size_t max_line =
      in.header & 0x80 ? ((in.header >> 3) & 0x0F) * 8 + 1 : std::size_t{1} << 20;

  outcome whole;
  sse_parser whole_parser(max_line);
  const bool whole_ok = whole_parser.feed(in.payload, whole.messages);
  whole.broken = whole_parser.broken();
  FUZZ_CHECK(whole_ok == !whole.broken);

  outcome pieces;
  sse_parser pieces_parser(max_line);
  chatd::fuzz::feed_in_pieces(in.payload, in.sizes, [&](std::string_view piece) {
    const bool was_broken = pieces_parser.broken();
    const std::size_t before = pieces.messages.size();
    const bool ok = pieces_parser.feed(piece, pieces.messages);
    FUZZ_CHECK(ok == !pieces_parser.broken());
    // Once broken, a stream stays broken and yields nothing more.
    FUZZ_CHECK(!was_broken || (!ok && pieces.messages.size() == before));
  });
  pieces.broken = pieces_parser.broken();

  FUZZ_CHECK(same(whole, pieces));
  FUZZ_CHECK(same(whole, reference(in.payload, max_line)));
  for (const auto& m : whole.messages) {
    // A field never spans lines; only data joins its lines with LF.
    FUZZ_CHECK(m.event.find_first_of("\r\n") == std::string::npos);
    FUZZ_CHECK(m.id.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos);
    FUZZ_CHECK(m.data.find('\r') == std::string::npos);
  }
  return 0;
}
