#include "http/request_info.hpp"

#include <charconv>

namespace chatd::http {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

} // namespace

std::string_view session_cookie_name(bool secure) {
  return secure ? "__Host-chatd_session" : "chatd_session";
}

std::vector<std::string_view> header_values(const restinio::request_t& req, std::string_view name) {
  std::vector<std::string_view> out;
  for (const auto& field : req.header())
    if (iequals(field.name(), name))
      out.emplace_back(field.value());
  return out;
}

std::optional<std::string> header_of(const restinio::request_t& req, std::string_view name) {
  auto value = req.header().opt_value_of(restinio::string_view_t{name.data(), name.size()});
  if (!value)
    return std::nullopt;
  return std::string(value->data(), value->size());
}

bool is_secure_request(const restinio::request_t& req, const config::settings& s) {
  // An https public origin means browsers reach the service over TLS, whatever the hop behind
  // the proxy is.
  if (s.cookie_secure || s.public_origin.rfind("https://", 0) == 0)
    return true;
  if (!s.trust_proxy)
    return false;
  auto proto = header_of(req, "X-Forwarded-Proto");
  return proto && iequals(trim(*proto), "https");
}

std::optional<std::string> credential_of(const restinio::request_t& req, bool secure_only) {
  if (auto auth = header_of(req, "Authorization")) {
    std::string_view v = trim(*auth);
    if (v.size() > 7 && iequals(v.substr(0, 7), "Bearer ")) {
      auto token = trim(v.substr(7));
      if (!token.empty())
        return std::string(token);
    }
    return std::nullopt;
  }
  auto cookies = header_of(req, "Cookie");
  if (!cookies)
    return std::nullopt;
  // The `__Host-` cookie (set over TLS) wins over a plain one a network attacker could plant,
  // and over TLS the plain one does not count at all.
  std::optional<std::string> plain;
  std::string_view rest = *cookies;
  while (!rest.empty()) {
    auto semi = rest.find(';');
    auto pair = trim(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    auto eq = pair.find('=');
    if (eq == std::string_view::npos)
      continue;
    auto name = trim(pair.substr(0, eq));
    auto value = trim(pair.substr(eq + 1));
    if (value.empty())
      continue;
    if (name == session_cookie_name(true))
      return std::string(value);
    if (name == session_cookie_name(false) && !plain && !secure_only)
      plain = std::string(value);
  }
  return plain;
}

std::string session_cookie(const std::string& token, long long max_age_s, bool secure) {
  std::string out(session_cookie_name(secure));
  out += '=';
  out += token;
  out += "; Path=/; HttpOnly; SameSite=Lax; Max-Age=";
  out += std::to_string(max_age_s);
  if (secure)
    out += "; Secure";
  return out;
}

std::string client_address(const restinio::request_t& req, const config::settings& s) {
  if (s.trust_proxy) {
    // The last hop of the last line: a proxy may add a line of its own rather than append.
    auto lines = header_values(req, "X-Forwarded-For");
    if (!lines.empty()) {
      auto line = lines.back();
      auto comma = line.rfind(',');
      auto last = trim(line.substr(comma == std::string_view::npos ? 0 : comma + 1));
      if (!last.empty())
        return std::string(last);
    }
  }
  return req.remote_endpoint().address().to_string();
}

bool origin_allowed(const restinio::request_t& req, const config::settings& s) {
  // Browsers send one Origin; with two, which one a proxy or another server reads is anyone's
  // guess, so neither is trusted.
  if (header_values(req, "Origin").size() > 1)
    return false;
  auto origin = header_of(req, "Origin");
  if (!origin)
    return true; // not a browser's cross-site request: browsers always send Origin on those
  std::string expected = s.public_origin;
  if (expected.empty()) {
    auto host = header_of(req, "Host");
    if (!host)
      return false;
    expected = (s.trust_proxy && is_secure_request(req, s) ? "https://" : "http://") + *host;
  }
  return iequals(trim(*origin), expected);
}

std::optional<std::uint64_t> last_event_id_of(const restinio::request_t& req) {
  auto value = header_of(req, "Last-Event-ID");
  if (!value)
    return 0;
  auto v = trim(*value);
  if (v.empty())
    return 0;
  std::uint64_t out = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  // Ids past 2^53 - 1 are refused: no answer reaches them, a browser's number could not hold
  // them exactly, and the replay's id (Last-Event-ID + 1) must not wrap.
  constexpr std::uint64_t largest = (std::uint64_t{1} << 53) - 1;
  if (ec != std::errc{} || end != v.data() + v.size() || out > largest)
    return std::nullopt;
  return out;
}

} // namespace chatd::http
