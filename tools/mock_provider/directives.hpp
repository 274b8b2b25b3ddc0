#pragma once
// Per-request switches that tests write into the user's message:
//
//     [[mock key=value key=value ...]]
//
// The opening `[[mock` must be followed by a blank or by `]]`; tokens are separated by blanks
// and are `key=value` with no blanks inside. Several directives in one text are merged, later
// keys winning. Every directive is removed from the text the mock echoes. Keys:
//
//   fail=K          http_500 | http_503 | http_429 (before any byte of the response),
//                   cut | response_failed | incomplete | error_event | stall (mid-stream)
//   after=N         deltas sent before a mid-stream fault (default 0)
//   retry_after=S   `Retry-After: S` on 429/503     retry_after_ms=M  `retry-after-ms: M`
//   scope=S         stream (default: only streaming requests fail) | all
//   times=N         only the first N requests carrying this exact directive text fail
//                   (counted among the requests the fault is in scope for)
//   deltas=N        exactly N text deltas          rate=R   deltas per second
//   chop=B          write the SSE bytes in pieces of B bytes, each flushed on its own
//   delay_ms=D      wait D ms before the response headers
//   stall_ms=M      with fail=stall: resume after M ms (without it: stall until the client goes)
//   text=T          answer T (url-encoded: %XX, and + for a blank) instead of the echo
//   stamp=0|1       benchmark deltas `@<ns>;<word> `; the first of a stream is
//                   `@<ns>;r<request receipt ns>;<word> ` (see mock_provider.hpp)
//   id=X            ignored; makes the directive text unique for `times=`

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace chatd::mock {

enum class fault_kind {
  none,
  http_500,
  http_503,
  http_429,
  cut,
  response_failed,
  incomplete,
  error_event,
  stall,
};

/// True for the faults that answer with an HTTP error status before any byte of a stream.
bool is_http_fault(fault_kind kind);

enum class fault_scope { stream, all };

/// Everything a request's directives asked for; unset fields fall back to the mock's options.
struct directive {
  bool present = false;
  std::string identity; ///< The directive texts as written: the key for `times=`.
  fault_kind fail = fault_kind::none;
  std::size_t after = 0;
  std::optional<long> retry_after_s;
  std::optional<long> retry_after_ms;
  fault_scope scope = fault_scope::stream;
  std::optional<long> times;
  std::optional<std::size_t> deltas;
  std::optional<double> rate;
  std::size_t chop = 0;
  long delay_ms = 0;
  std::optional<long> stall_ms;
  std::optional<std::string> text;
  std::optional<bool> stamp;
};

/// A user text split into what the mock echoes and what it was told to do.
struct parsed_text {
  std::string text;
  directive dir;
};

/// A directive the mock cannot follow (unknown key, bad value); the request gets a 400.
class directive_error : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

/// Splits the directives off `user_text`. @throws directive_error.
parsed_text parse_directives(std::string_view user_text);

/// The text without its directives, never throwing: for earlier turns kept as context.
std::string strip_directives(std::string_view user_text);

/// Decodes %XX escapes and `+`; nullopt when an escape is malformed.
std::optional<std::string> url_decode(std::string_view encoded);

} // namespace chatd::mock
