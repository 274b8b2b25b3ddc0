#include "config/settings_schema.hpp"

#include <charconv>

namespace chatd::config {

namespace {

using opt_error = std::optional<std::string>;

std::optional<long long> parse_integer(const std::string& v, long long min, long long max) {
  long long out = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc{} || end != v.data() + v.size() || out < min || out > max)
    return std::nullopt;
  return out;
}

opt_error range_error(long long min, long long max) {
  return "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max);
}

template<auto Member> opt_error set_string(settings& s, const std::string& v) {
  s.*Member = v;
  return {};
}

template<auto Member> std::string show_string(const settings& s) {
  return s.*Member;
}

template<auto Member, long long Min, long long Max>
opt_error set_count(settings& s, const std::string& v) {
  auto n = parse_integer(v, Min, Max);
  if (!n)
    return range_error(Min, Max);
  s.*Member = static_cast<std::remove_reference_t<decltype(s.*Member)>>(*n);
  return {};
}

template<auto Member> std::string show_count(const settings& s) {
  return std::to_string(s.*Member);
}

template<auto Member, long long Min, long long Max>
opt_error set_duration(settings& s, const std::string& v) {
  auto n = parse_integer(v, Min, Max);
  if (!n)
    return range_error(Min, Max);
  using duration = std::remove_reference_t<decltype(s.*Member)>;
  s.*Member = duration(*n);
  return {};
}

template<auto Member> std::string show_duration(const settings& s) {
  return std::to_string((s.*Member).count());
}

template<auto Member> opt_error set_bool(settings& s, const std::string& v) {
  if (v == "true" || v == "1" || v == "yes" || v == "on")
    s.*Member = true;
  else if (v == "false" || v == "0" || v == "no" || v == "off")
    s.*Member = false;
  else
    return "expected true or false";
  return {};
}

template<auto Member> std::string show_bool(const settings& s) {
  return s.*Member ? "true" : "false";
}

/// `host:port` with a numeric port; the host may be `[v6]`.
opt_error check_address(const std::string& v) {
  auto colon = v.rfind(':');
  if (colon == std::string::npos || colon == 0 || !parse_integer(v.substr(colon + 1), 0, 65535))
    return "expected host:port, e.g. 127.0.0.1:8080 or [::1]:8080";
  auto host = v.substr(0, colon);
  bool bracketed = host.size() > 2 && host.front() == '[' && host.back() == ']';
  if (host.find(':') != std::string::npos && !bracketed)
    return "an IPv6 host needs brackets, e.g. [::1]:8080";
  return {};
}

opt_error set_listen(settings& s, const std::string& v) {
  if (auto err = check_address(v))
    return err;
  s.listen = v;
  return {};
}

opt_error set_admin_listen(settings& s, const std::string& v) {
  if (!v.empty())
    if (auto err = check_address(v))
      return err;
  s.admin_listen = v;
  return {};
}

opt_error set_database(settings& s, const std::string& v) {
  if (v.rfind("sqlite://", 0) != 0 || v.size() <= 9)
    return "expected sqlite://relative/path.db or sqlite:///absolute/path.db";
  s.database = v;
  return {};
}

opt_error set_base_url(settings& s, const std::string& v) {
  if (v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0)
    return "expected an http:// or https:// URL";
  s.openai_base_url = v;
  while (s.openai_base_url.size() > 8 && s.openai_base_url.back() == '/')
    s.openai_base_url.pop_back();
  s.openai_base_url_set = true;
  return {};
}

opt_error set_public_origin(settings& s, const std::string& v) {
  if (!v.empty() && v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0)
    return "expected an origin such as https://chat.example.com";
  s.public_origin = v;
  while (!s.public_origin.empty() && s.public_origin.back() == '/')
    s.public_origin.pop_back();
  return {};
}

opt_error set_synchronous(settings& s, const std::string& v) {
  if (v != "full" && v != "normal")
    return "expected full or normal";
  s.sqlite_synchronous = v;
  return {};
}

opt_error set_log_level(settings& s, const std::string& v) {
  for (auto level : {"trace", "debug", "info", "warn", "error", "off"})
    if (v == level) {
      s.log_level = v;
      return {};
    }
  return "expected trace, debug, info, warn, error or off";
}

opt_error set_api_key(settings& s, const std::string& v) {
  s.openai_api_key = v;
  return {};
}

std::string show_api_key(const settings& s) {
  return s.openai_api_key.empty() ? "" : "(set)";
}

constexpr long long day_s = 24 * 3600;

} // namespace

const std::vector<setting_spec>& settings_schema() {
  static const std::vector<setting_spec> schema = {
      {"listen", "CHATD_LISTEN", "listen", "address and port of the HTTP server", set_listen,
       show_string<&settings::listen>},
      {"database", "CHATD_DATABASE", "database", "sqlite://path.db (relative) or sqlite:///abs.db",
       set_database, show_string<&settings::database>},
      {"openai_api_key", "OPENAI_API_KEY", "", "the provider's API key (environment or file only)",
       set_api_key, show_api_key},
      {"openai_base_url", "OPENAI_BASE_URL", "openai-base-url", "the provider's base URL",
       set_base_url, show_string<&settings::openai_base_url>},
      {"model", "OPENAI_MODEL", "model", "the model to ask", set_string<&settings::model>,
       show_string<&settings::model>},
      {"public_origin", "CHATD_PUBLIC_ORIGIN", "public-origin",
       "the service's origin behind a proxy (else http:// + Host)", set_public_origin,
       show_string<&settings::public_origin>},
      {"static_dir", "CHATD_STATIC_DIR", "static-dir", "directory of the browser UI build",
       set_string<&settings::static_dir>, show_string<&settings::static_dir>},
      {"cookie_secure", "CHATD_COOKIE_SECURE", "cookie-secure",
       "mark cookies Secure (TLS or a TLS proxy in front; an https public_origin implies it)",
       set_bool<&settings::cookie_secure>, show_bool<&settings::cookie_secure>},
      {"trust_proxy", "CHATD_TRUST_PROXY", "trust-proxy",
       "believe X-Forwarded-Proto/-For (only behind your own proxy)",
       set_bool<&settings::trust_proxy>, show_bool<&settings::trust_proxy>},
      {"max_body_bytes", "CHATD_MAX_BODY_BYTES", "max-body-bytes", "largest request body",
       set_count<&settings::max_body_bytes, 256, 64LL << 20>,
       show_count<&settings::max_body_bytes>},
      {"max_header_bytes", "CHATD_MAX_HEADER_BYTES", "max-header-bytes",
       "largest header field of a request", set_count<&settings::max_header_bytes, 1024, 1 << 20>,
       show_count<&settings::max_header_bytes>},
      {"max_url_bytes", "CHATD_MAX_URL_BYTES", "max-url-bytes", "longest request target",
       set_count<&settings::max_url_bytes, 256, 1 << 20>, show_count<&settings::max_url_bytes>},
      {"request_read_timeout_ms", "CHATD_REQUEST_READ_TIMEOUT_MS", "request-read-timeout-ms",
       "time a client has to send a whole request",
       set_duration<&settings::request_read_timeout, 100, 3600000>,
       show_duration<&settings::request_read_timeout>},
      {"http_threads", "CHATD_HTTP_THREADS", "http-threads", "threads of the HTTP event loop",
       set_count<&settings::http_threads, 1, 64>, show_count<&settings::http_threads>},
      {"sqlite_synchronous", "CHATD_SQLITE_SYNCHRONOUS", "sqlite-synchronous",
       "full: a commit survives power loss; normal: faster, may lose the last commits",
       set_synchronous, show_string<&settings::sqlite_synchronous>},
      {"sqlite_busy_timeout_ms", "CHATD_SQLITE_BUSY_TIMEOUT_MS", "sqlite-busy-timeout-ms",
       "how long a change waits for another process's lock on the database before it fails",
       // Below the 30 s in which a request must be answered, or a change could be made after
       // its caller was told it failed.
       set_duration<&settings::sqlite_busy_timeout, 10, 20000>,
       show_duration<&settings::sqlite_busy_timeout>},
      {"checkpoint_interval_ms", "CHATD_CHECKPOINT_INTERVAL_MS", "checkpoint-interval-ms",
       "how often a growing answer is saved",
       set_duration<&settings::checkpoint_interval, 10, 60000>,
       show_duration<&settings::checkpoint_interval>},
      {"provider_connect_timeout_ms", "CHATD_PROVIDER_CONNECT_TIMEOUT_MS",
       "provider-connect-timeout-ms", "connecting to the provider",
       set_duration<&settings::provider_connect_timeout, 10, 600000>,
       show_duration<&settings::provider_connect_timeout>},
      {"provider_first_byte_timeout_ms", "CHATD_PROVIDER_FIRST_BYTE_TIMEOUT_MS",
       "provider-first-byte-timeout-ms",
       "longest wait for the first text (a reasoning model thinks in silence)",
       set_duration<&settings::provider_first_byte_timeout, 10, 3600000>,
       show_duration<&settings::provider_first_byte_timeout>},
      {"provider_idle_timeout_ms", "CHATD_PROVIDER_IDLE_TIMEOUT_MS", "provider-idle-timeout-ms",
       "longest silence between two provider events once text has come",
       set_duration<&settings::provider_idle_timeout, 10, 3600000>,
       show_duration<&settings::provider_idle_timeout>},
      {"provider_request_timeout_ms", "CHATD_PROVIDER_REQUEST_TIMEOUT_MS",
       "provider-request-timeout-ms", "a whole non-streaming provider call",
       set_duration<&settings::provider_request_timeout, 100, 3600000>,
       show_duration<&settings::provider_request_timeout>},
      {"provider_max_retries", "CHATD_PROVIDER_MAX_RETRIES", "provider-max-retries",
       "retries of a failed provider call before any text",
       set_count<&settings::provider_max_retries, 0, 10>,
       show_count<&settings::provider_max_retries>},
      {"provider_retry_base_delay_ms", "CHATD_PROVIDER_RETRY_BASE_DELAY_MS",
       "provider-retry-base-delay-ms", "back-off before the first retry (doubled each time)",
       set_duration<&settings::provider_retry_base_delay, 1, 60000>,
       show_duration<&settings::provider_retry_base_delay>},
      {"keepalive_interval_ms", "CHATD_KEEPALIVE_INTERVAL_MS", "keepalive-interval-ms",
       "comment line on a quiet stream at least this often",
       set_duration<&settings::keepalive_interval, 10, 15000>,
       show_duration<&settings::keepalive_interval>},
      {"max_streams_per_user", "CHATD_MAX_STREAMS_PER_USER", "max-streams-per-user",
       "concurrent answers per user", set_count<&settings::max_streams_per_user, 1, 100000>,
       show_count<&settings::max_streams_per_user>},
      {"max_streams_total", "CHATD_MAX_STREAMS_TOTAL", "max-streams-total",
       "concurrent answers in all", set_count<&settings::max_streams_total, 1, 1000000>,
       show_count<&settings::max_streams_total>},
      {"drain_timeout_ms", "CHATD_DRAIN_TIMEOUT_MS", "drain-timeout-ms",
       "on SIGTERM, how long running answers may finish",
       set_duration<&settings::drain_timeout, 0, 600000>, show_duration<&settings::drain_timeout>},
      {"breaker_threshold", "CHATD_BREAKER_THRESHOLD", "breaker-threshold",
       "failed turns within the window that mark the provider down",
       set_count<&settings::breaker_threshold, 1, 1000000>,
       show_count<&settings::breaker_threshold>},
      {"breaker_window_ms", "CHATD_BREAKER_WINDOW_MS", "breaker-window-ms",
       "window of the provider-down rule", set_duration<&settings::breaker_window, 100, 3600000>,
       show_duration<&settings::breaker_window>},
      {"session_idle_timeout_s", "CHATD_SESSION_IDLE_TIMEOUT_S", "session-idle-timeout-s",
       "a browser's session unused this long ends (bearer tokens: only the lifetime)",
       set_duration<&settings::session_idle_timeout, 1, 365 * day_s>,
       show_duration<&settings::session_idle_timeout>},
      {"session_lifetime_s", "CHATD_SESSION_LIFETIME_S", "session-lifetime-s",
       "a session ends this long after login",
       set_duration<&settings::session_lifetime, 1, 365 * day_s>,
       show_duration<&settings::session_lifetime>},
      {"login_limit_per_address", "CHATD_LOGIN_LIMIT_PER_ADDRESS", "login-limit-per-address",
       "failed logins per account and address in 15 minutes",
       set_count<&settings::login_limit_per_address, 1, 1000000>,
       show_count<&settings::login_limit_per_address>},
      {"login_limit_per_account", "CHATD_LOGIN_LIMIT_PER_ACCOUNT", "login-limit-per-account",
       "failed logins per account in an hour",
       set_count<&settings::login_limit_per_account, 1, 1000000>,
       show_count<&settings::login_limit_per_account>},
      {"log_level", "CHATD_LOG_LEVEL", "log-level", "trace, debug, info, warn, error or off",
       set_log_level, show_string<&settings::log_level>},
      {"scheduler_threads", "CHATD_SCHEDULER_THREADS", "scheduler-threads",
       "actor scheduler threads (0: half the cores, at least one; the HTTP, provider and storage "
       "threads use the rest)",
       set_count<&settings::scheduler_threads, 0, 256>, show_count<&settings::scheduler_threads>},
      {"admin_listen", "CHATD_ADMIN_LISTEN", "admin-listen",
       "address of the admin port for chatctl (empty: off)", set_admin_listen,
       show_string<&settings::admin_listen>},
  };
  return schema;
}

} // namespace chatd::config
