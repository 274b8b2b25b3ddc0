#include "tools/loadgen/options.hpp"

#include <cstdlib>
#include <stdexcept>

namespace chatd::loadgen {

const char* const usage =
    "usage: chatd-loadgen --target chatd|peer|mock|tcp-relay --url http://HOST:PORT [options]\n"
    "  --streams S        concurrent streams (default 1)\n"
    "  --deltas N         deltas per answer (default 200)\n"
    "  --rate R           deltas per second per stream (default 20)\n"
    "  --ramp R           new streams per second while ramping up (default 1000)\n"
    "  --concurrency C    at most C streams open at once, the next one starting as one ends\n"
    "                     (default: all S; 1 runs them one after another)\n"
    "  --pid PID          the server under test: sample its CPU and memory from /proc\n"
    "  --mock-pid PID     the mock provider behind it: sample its CPU\n"
    "  --users U          chatd: register U users and spread the streams over them (default 1)\n"
    "  --token T          chatd: use this bearer token instead of registering\n"
    "  --timeout S        give up after S seconds (default: ramp + answer time + 60)\n"
    "  --rcvbuf BYTES     SO_RCVBUF of each socket (default 16384)\n"
    "  --json FILE        write the result as JSON to FILE (default: stdout)\n"
    "  --label TEXT       copied into the result\n";

std::optional<endpoint> parse_url(std::string_view url) {
  constexpr std::string_view scheme = "http://";
  if (url.substr(0, scheme.size()) != scheme)
    return std::nullopt;
  url.remove_prefix(scheme.size());
  url = url.substr(0, url.find('/'));
  const auto colon = url.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == url.size())
    return std::nullopt;
  endpoint e;
  e.host = std::string(url.substr(0, colon));
  if (e.host.size() >= 2 && e.host.front() == '[' && e.host.back() == ']')
    e.host = e.host.substr(1, e.host.size() - 2);
  unsigned long port = 0;
  for (char c : url.substr(colon + 1)) {
    if (c < '0' || c > '9')
      return std::nullopt;
    port = port * 10 + static_cast<unsigned long>(c - '0');
    if (port > 65535)
      return std::nullopt;
  }
  if (port == 0)
    return std::nullopt;
  e.port = static_cast<std::uint16_t>(port);
  return e;
}

std::string_view target_name(target_kind t) {
  switch (t) {
  case target_kind::chatd:
    return "chatd";
  case target_kind::peer:
    return "peer";
  case target_kind::mock:
    return "mock";
  case target_kind::tcp_relay:
    return "tcp-relay";
  }
  return "?";
}

std::size_t open_at_once(const options& o) {
  return o.concurrency > 0 ? o.concurrency : o.streams;
}

std::variant<options, std::string> parse_options(const std::vector<std::string>& args) {
  options o;
  bool have_url = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (i + 1 >= args.size())
      return "missing value after " + arg;
    const auto& value = args[++i];
    try {
      std::size_t used = value.size();
      if (arg == "--target") {
        if (value == "chatd")
          o.target = target_kind::chatd;
        else if (value == "peer")
          o.target = target_kind::peer;
        else if (value == "mock")
          o.target = target_kind::mock;
        else if (value == "tcp-relay")
          o.target = target_kind::tcp_relay;
        else
          return "unknown target " + value + " (chatd, peer, mock or tcp-relay)";
      } else if (arg == "--url") {
        const auto e = parse_url(value);
        if (!e)
          return "bad --url " + value + " (want http://HOST:PORT)";
        o.server = *e;
        have_url = true;
      } else if (arg == "--streams") {
        o.streams = std::stoul(value, &used);
      } else if (arg == "--deltas") {
        o.deltas = std::stoul(value, &used);
      } else if (arg == "--rate") {
        o.rate = std::stod(value, &used);
      } else if (arg == "--ramp") {
        o.ramp_per_s = std::stod(value, &used);
      } else if (arg == "--concurrency") {
        o.concurrency = std::stoul(value, &used);
        if (o.concurrency < 1)
          return "--concurrency must be at least 1";
      } else if (arg == "--pid") {
        o.pid = static_cast<pid_t>(std::stol(value, &used));
      } else if (arg == "--mock-pid") {
        o.mock_pid = static_cast<pid_t>(std::stol(value, &used));
      } else if (arg == "--users") {
        o.users = std::stoul(value, &used);
      } else if (arg == "--token") {
        o.token = value;
      } else if (arg == "--timeout") {
        o.timeout_s = std::stod(value, &used);
      } else if (arg == "--rcvbuf") {
        o.rcvbuf = std::stoi(value, &used);
      } else if (arg == "--json") {
        o.json_path = value;
      } else if (arg == "--label") {
        o.label = value;
      } else {
        return "unknown option " + arg;
      }
      if (used != value.size())
        return "bad value for " + arg + ": " + value;
    } catch (const std::logic_error&) {
      return "bad value for " + arg + ": " + value;
    }
  }
  if (!have_url)
    return std::string("--url is required");
  if (o.streams < 1 || o.deltas < 1 || o.rate <= 0 || o.ramp_per_s <= 0 || o.users < 1 ||
      o.timeout_s < 0 || o.rcvbuf < 0)
    return std::string("--streams, --deltas, --users must be at least 1, --rate and --ramp above "
                       "0, --timeout and --rcvbuf not negative");
  return o;
}

} // namespace chatd::loadgen
