#include "tools/loadgen/stamp.hpp"

#include <ctime>
#include <string>

namespace chatd::loadgen {

namespace {

// Reads the decimal digits at the front of `s` up to `;`, removing them and the `;`.
std::optional<std::uint64_t> take_number(std::string_view& s) {
  std::uint64_t n = 0;
  std::size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (i >= 19) // would overflow 64 bits
      return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(s[i] - '0');
  }
  if (i == 0 || i >= s.size() || s[i] != ';')
    return std::nullopt;
  s.remove_prefix(i + 1);
  return n;
}

} // namespace

std::optional<stamp> parse_stamp(std::string_view delta) {
  if (delta.empty() || delta.front() != '@')
    return std::nullopt;
  delta.remove_prefix(1);
  stamp out;
  const auto send = take_number(delta);
  if (!send)
    return std::nullopt;
  out.send_ns = *send;
  if (!delta.empty() && delta.front() == 'r') {
    auto rest = delta.substr(1);
    if (const auto recv = take_number(rest)) {
      out.recv_ns = *recv;
      delta = rest;
    }
  }
  // The filler word: lower-case letters and the closing blank.
  if (delta.size() < 2 || delta.back() != ' ')
    return std::nullopt;
  for (std::size_t i = 0; i + 1 < delta.size(); ++i)
    if (delta[i] < 'a' || delta[i] > 'z')
      return std::nullopt;
  return out;
}

std::optional<std::string_view> json_string_member(std::string_view json, std::string_view key) {
  std::string needle;
  needle.reserve(key.size() + 2);
  needle.append("\"").append(key).append("\"");
  std::size_t from = 0;
  while (true) {
    const auto at = json.find(needle, from);
    if (at == std::string_view::npos)
      return std::nullopt;
    auto pos = at + needle.size();
    from = pos;
    while (pos < json.size() && json[pos] == ' ')
      ++pos;
    // A match followed by ':' is a member name (inside a string value a quote is escaped).
    if (pos >= json.size() || json[pos] != ':')
      continue;
    ++pos;
    while (pos < json.size() && json[pos] == ' ')
      ++pos;
    if (pos >= json.size() || json[pos] != '"')
      return std::nullopt;
    const auto start = pos + 1;
    for (auto i = start; i < json.size(); ++i) {
      if (json[i] == '\\') {
        ++i;
        continue;
      }
      if (json[i] == '"')
        return json.substr(start, i - start);
    }
    return std::nullopt;
  }
}

std::uint64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u +
         static_cast<std::uint64_t>(ts.tv_nsec);
}

} // namespace chatd::loadgen
