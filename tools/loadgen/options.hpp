#pragma once
// The load generator's command line.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <variant>
#include <vector>

namespace chatd::loadgen {

/// What the streams are opened against; each speaks a different request and event dialect.
enum class target_kind {
  chatd, ///< POST /api/chat/stream with a bearer token of a registered user
  peer,  ///< the Node peer: same route and events as chatd, any bearer token
  mock,  ///< the mock provider directly: POST /v1/responses (the floor)
  /// chatd-tcp-relay in front of the mock: the mock's dialect through a relay that only moves
  /// bytes (the floor under any relay's cost)
  tcp_relay,
};

struct endpoint {
  std::string host;
  std::uint16_t port = 0;
};

struct options {
  target_kind target = target_kind::chatd;
  endpoint server;
  std::size_t streams = 1;
  std::size_t deltas = 200;
  double rate = 20;
  double ramp_per_s = 1000; ///< New streams per second while ramping up.
  /// At most this many streams open at once; the next starts when one ends (0: all of them).
  std::size_t concurrency = 0;
  pid_t pid = 0;          ///< The server under test, sampled from /proc (0: none).
  pid_t mock_pid = 0;     ///< The mock behind it, for its CPU (0: none).
  std::size_t users = 1;  ///< chatd: users to spread the streams over.
  std::string token;      ///< chatd: use this token instead of registering users.
  double timeout_s = 0;   ///< 0: ramp time + answer time + 60 s.
  int rcvbuf = 16 * 1024; ///< SO_RCVBUF of each stream's socket.
  std::string json_path;  ///< Write the result here (default: stdout).
  std::string label;      ///< Free text copied into the result.
};

/// `http://HOST:PORT` (a trailing path is ignored); nullopt when it is not of that shape.
std::optional<endpoint> parse_url(std::string_view url);

std::string_view target_name(target_kind t);

/// How many streams may be open at once: `concurrency`, or all of them when it is 0.
std::size_t open_at_once(const options& o);

/// The options, or an error message for the user.
std::variant<options, std::string> parse_options(const std::vector<std::string>& args);

extern const char* const usage;

} // namespace chatd::loadgen
