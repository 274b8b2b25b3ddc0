#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace chatd::domain {

/// One dispatched SSE message (WHATWG "event stream" interpretation).
struct sse_message {
  std::string event; ///< the `event:` field, empty when absent
  std::string data;  ///< the `data:` lines joined by '\n'
  std::string id;    ///< the `id:` field, empty when absent
};

/// Incremental SSE framing: feed bytes exactly as they arrive from the network, in pieces of
/// any size; lines may end in LF, CRLF or CR and may be split anywhere, including inside a
/// UTF-8 character or between CR and LF. Comment lines (`:`) and unknown fields are skipped.
class sse_parser {
public:
  /// @param max_line longest line accepted; a longer one marks the stream as broken.
  explicit sse_parser(std::size_t max_line = 1 << 20) : max_line_(max_line) {}

  /// Consumes `bytes` and appends every message it completes to `out`.
  /// @returns false once the stream is broken (a line over the limit); stays false.
  bool feed(std::string_view bytes, std::vector<sse_message>& out);

  bool broken() const { return broken_; }

private:
  void on_line(std::string_view line, std::vector<sse_message>& out);

  std::string line_;
  sse_message pending_;
  bool has_data_ = false;
  bool last_was_cr_ = false; ///< a CR ended the last line; a following LF belongs to it
  bool broken_ = false;
  std::size_t max_line_;
};

} // namespace chatd::domain
