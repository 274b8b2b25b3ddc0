#pragma once
// Incremental reader of one HTTP/1.1 response: the head (status line and header fields), then
// the body, framed by chunked coding, Content-Length, or the end of the connection.

#include "tools/loadgen/chunked_decoder.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chatd::loadgen {

struct response_head {
  int status = 0;
  /// Field names in lower case, values without surrounding blanks, in order.
  std::vector<std::pair<std::string, std::string>> fields;
  bool chunked = false;
  std::optional<std::uint64_t> content_length;

  /// The first field called `name` (lower case), if any.
  std::optional<std::string_view> field(std::string_view name) const;
};

/// Parses a complete head (up to and including the blank line); nullopt when malformed.
std::optional<response_head> parse_response_head(std::string_view head);

class http_response_reader {
public:
  enum class status { more, head_done, done, error };

  /// Consumes `in`; once the head is complete (`head()` is set) every body byte goes to
  /// `sink(std::string_view)`. Returns `head_done` on the call that completed the head (and
  /// maybe some body), `done` once the body ended, `error` for a malformed response.
  template<class Sink> status feed(std::string_view in, Sink&& sink) {
    bool head_now = false;
    if (!head_) {
      const auto used = take_head(in);
      if (failed_)
        return status::error;
      if (!head_)
        return status::more;
      in.remove_prefix(used);
      head_now = true;
    }
    if (done_)
      return status::done;
    if (head_->chunked) {
      const auto s = chunked_.feed(in, sink);
      if (s == chunked_decoder::status::error)
        return status::error;
      done_ = s == chunked_decoder::status::done;
    } else if (head_->content_length) {
      const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, in.size()));
      if (n > 0)
        sink(in.substr(0, n));
      remaining_ -= n;
      done_ = remaining_ == 0;
    } else if (!in.empty()) {
      sink(in); // the body runs until the connection closes
    }
    if (done_)
      return status::done;
    return head_now ? status::head_done : status::more;
  }

  const std::optional<response_head>& head() const { return head_; }
  bool done() const { return done_; }
  /// True if the connection's end is also the body's proper end (no length, not chunked).
  bool ends_with_connection() const { return head_ && !head_->chunked && !head_->content_length; }

private:
  /// Adds bytes to the head; returns how many of `in` belonged to it.
  std::size_t take_head(std::string_view in);

  std::string head_bytes_;
  std::optional<response_head> head_;
  chunked_decoder chunked_;
  std::uint64_t remaining_ = 0;
  bool done_ = false;
  bool failed_ = false;
};

} // namespace chatd::loadgen
