#include "tools/mock_provider/directives.hpp"

#include "tools/common/hex.hpp"
#include "tools/mock_provider/utf8.hpp"

#include <charconv>
#include <vector>

namespace chatd::mock {

using tools::hex_value;

namespace {

constexpr std::string_view open_tag = "[[mock";
constexpr std::string_view close_tag = "]]";

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// One `[[mock ...]]` found in a text: where it is and what is between the tags.
struct span {
  std::size_t begin;
  std::size_t end; // one past the closing tag
  std::string_view body;
};

// A `[[mock` that is not followed by a blank or `]]` (say `[[mockery]]`) is ordinary text.
std::vector<span> find_directives(std::string_view text) {
  std::vector<span> found;
  std::size_t from = 0;
  while (true) {
    const auto begin = text.find(open_tag, from);
    if (begin == std::string_view::npos)
      break;
    const auto body_begin = begin + open_tag.size();
    const bool delimited = body_begin < text.size() &&
                           (is_blank(text[body_begin]) || text.substr(body_begin, 2) == close_tag);
    const auto close = delimited ? text.find(close_tag, body_begin) : std::string_view::npos;
    if (close == std::string_view::npos) {
      from = begin + 1;
      continue;
    }
    found.push_back({begin, close + close_tag.size(), text.substr(body_begin, close - body_begin)});
    from = close + close_tag.size();
  }
  return found;
}

// Removing a directive must not leave a double blank or a blank at either end behind.
std::string remove_spans(std::string_view text, const std::vector<span>& spans) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  for (const auto& s : spans) {
    out.append(text.substr(pos, s.begin - pos));
    pos = s.end;
    if (!out.empty() && is_blank(out.back()))
      while (pos < text.size() && text[pos] == ' ')
        ++pos;
  }
  out.append(text.substr(pos));
  const auto first = out.find_first_not_of(" \t\r\n");
  if (first == std::string::npos)
    return {};
  const auto last = out.find_last_not_of(" \t\r\n");
  return out.substr(first, last - first + 1);
}

[[noreturn]] void bad(std::string_view key, std::string_view value, std::string_view why) {
  throw directive_error("mock directive: " + std::string(key) + "=" + std::string(value) + ": " +
                        std::string(why));
}

long to_long(std::string_view key, std::string_view value, long min, long max) {
  long v = 0;
  const auto* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, v);
  if (ec != std::errc() || ptr != end)
    bad(key, value, "not an integer");
  if (v < min || v > max)
    bad(key, value, "out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  return v;
}

double to_rate(std::string_view key, std::string_view value) {
  double v = 0;
  const auto* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, v);
  if (ec != std::errc() || ptr != end)
    bad(key, value, "not a number");
  if (!(v >= 0 && v <= 1e6))
    bad(key, value, "out of range [0, 1e6]");
  return v;
}

fault_kind to_fault(std::string_view value) {
  static constexpr std::pair<std::string_view, fault_kind> names[] = {
      {"http_500", fault_kind::http_500},
      {"http_503", fault_kind::http_503},
      {"http_429", fault_kind::http_429},
      {"cut", fault_kind::cut},
      {"response_failed", fault_kind::response_failed},
      {"incomplete", fault_kind::incomplete},
      {"error_event", fault_kind::error_event},
      {"stall", fault_kind::stall},
  };
  for (const auto& [name, kind] : names)
    if (name == value)
      return kind;
  bad("fail", value, "unknown fault");
}

constexpr long max_ms = 3'600'000; // an hour: longer is a typo, not a test

void apply(directive& d, std::string_view key, std::string_view value) {
  if (key == "fail") {
    d.fail = to_fault(value);
  } else if (key == "after") {
    d.after = static_cast<std::size_t>(to_long(key, value, 0, 1'000'000));
  } else if (key == "retry_after") {
    d.retry_after_s = to_long(key, value, 0, 86'400);
  } else if (key == "retry_after_ms") {
    d.retry_after_ms = to_long(key, value, 0, max_ms);
  } else if (key == "scope") {
    if (value != "stream" && value != "all")
      bad(key, value, "expected stream or all");
    d.scope = value == "all" ? fault_scope::all : fault_scope::stream;
  } else if (key == "times") {
    d.times = to_long(key, value, 0, 1'000'000'000);
  } else if (key == "deltas") {
    d.deltas = static_cast<std::size_t>(to_long(key, value, 1, 1'000'000));
  } else if (key == "rate") {
    d.rate = to_rate(key, value);
  } else if (key == "chop") {
    d.chop = static_cast<std::size_t>(to_long(key, value, 0, 1 << 20));
  } else if (key == "delay_ms") {
    d.delay_ms = to_long(key, value, 0, max_ms);
  } else if (key == "stall_ms") {
    d.stall_ms = to_long(key, value, 0, max_ms);
  } else if (key == "text") {
    auto decoded = url_decode(value);
    if (!decoded || !utf8::is_valid(*decoded))
      bad(key, value, "not url-encoded UTF-8");
    d.text = std::move(*decoded);
  } else if (key == "stamp") {
    if (value != "0" && value != "1")
      bad(key, value, "expected 0 or 1");
    d.stamp = value == "1";
  } else if (key != "id") {
    bad(key, value, "unknown key");
  }
}

void parse_body(directive& d, std::string_view body) {
  std::size_t i = 0;
  while (i < body.size()) {
    while (i < body.size() && is_blank(body[i]))
      ++i;
    const auto start = i;
    while (i < body.size() && !is_blank(body[i]))
      ++i;
    const auto token = body.substr(start, i - start);
    if (token.empty())
      break;
    const auto eq = token.find('=');
    if (eq == std::string_view::npos || eq == 0)
      throw directive_error("mock directive: expected key=value, got '" + std::string(token) + "'");
    apply(d, token.substr(0, eq), token.substr(eq + 1));
  }
}

} // namespace

bool is_http_fault(fault_kind kind) {
  return kind == fault_kind::http_500 || kind == fault_kind::http_503 ||
         kind == fault_kind::http_429;
}

parsed_text parse_directives(std::string_view user_text) {
  parsed_text out;
  const auto spans = find_directives(user_text);
  for (const auto& s : spans) {
    parse_body(out.dir, s.body);
    if (!out.dir.identity.empty())
      out.dir.identity += ' ';
    out.dir.identity.append(user_text.substr(s.begin, s.end - s.begin));
  }
  out.dir.present = !spans.empty();
  out.text = remove_spans(user_text, spans);
  return out;
}

std::string strip_directives(std::string_view user_text) {
  return remove_spans(user_text, find_directives(user_text));
}

std::optional<std::string> url_decode(std::string_view encoded) {
  std::string out;
  out.reserve(encoded.size());
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    const char c = encoded[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= encoded.size())
        return std::nullopt;
      const int hi = hex_value(encoded[i + 1]);
      const int lo = hex_value(encoded[i + 2]);
      if (hi < 0 || lo < 0)
        return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

} // namespace chatd::mock
