#pragma once
// Incremental decoder of HTTP/1.1 chunked transfer coding (RFC 9112 §7.1).
//
// Bytes arrive in pieces of any size; each call hands out the payload bytes it finds as views
// into the input (no copy), so a stream of small SSE events costs no allocation per event.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace chatd::loadgen {

class chunked_decoder {
public:
  enum class status { more, done, error };

  /// Consumes `in`, calling `sink(std::string_view)` for every piece of payload.
  /// Returns `done` once the last chunk and its trailer section were read (bytes after it are
  /// left unread: `consumed()` says how many of `in` were used), `error` on malformed framing.
  template<class Sink> status feed(std::string_view in, Sink&& sink) {
    consumed_ = 0;
    while (consumed_ < in.size() && state_ != state::done && state_ != state::error) {
      if (state_ == state::data) {
        const auto n =
            static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, in.size() - consumed_));
        sink(in.substr(consumed_, n));
        consumed_ += n;
        remaining_ -= n;
        if (remaining_ == 0)
          state_ = state::data_cr;
        continue;
      }
      step(in[consumed_++]);
    }
    if (state_ == state::done)
      return status::done;
    return state_ == state::error ? status::error : status::more;
  }

  std::size_t consumed() const { return consumed_; }
  bool done() const { return state_ == state::done; }

private:
  enum class state {
    size,         ///< hex digits of the chunk size
    extension,    ///< `;name=value` after the size, ignored
    size_lf,      ///< the LF ending the size line
    data,         ///< payload bytes
    data_cr,      ///< CR after the payload
    data_lf,      ///< LF after the payload
    trailer,      ///< start of a trailer line (or of the final empty line)
    trailer_line, ///< inside a trailer field, ignored
    trailer_lf,   ///< LF ending a trailer line
    final_lf,     ///< LF of the final empty line
    done,
    error,
  };

  void step(char c);

  state state_ = state::size;
  std::uint64_t remaining_ = 0;
  int digits_ = 0;
  std::size_t consumed_ = 0;
};

} // namespace chatd::loadgen
