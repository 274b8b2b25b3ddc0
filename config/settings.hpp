#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace chatd::config {

/// Every setting of the service, with its default. The names are those of the config file;
/// `settings_schema.cpp` lists them with their environment variables, flags and meaning.
struct settings {
  // -- HTTP -------------------------------------------------------------------------------
  std::string listen = "127.0.0.1:8080";
  /// Origin that state-changing requests must come from; empty: `http://` + the Host header.
  std::string public_origin;
  /// Directory of the browser UI build (index.html and assets); empty: no UI is served.
  std::string static_dir;
  std::size_t max_body_bytes = 64 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_url_bytes = 8 * 1024;
  std::chrono::milliseconds request_read_timeout{10'000};
  std::size_t http_threads = 1;
  /// Mark the session cookie Secure (and name it `__Host-…`); an https `public_origin` does too.
  bool cookie_secure = false;
  /// Trust `X-Forwarded-Proto` and `X-Forwarded-For` from the proxy in front (only then).
  bool trust_proxy = false;

  // -- storage ------------------------------------------------------------------------------
  std::string database = "sqlite://./data/chatd.db";
  /// SQLite `synchronous` level for commits of users' messages: `full` or `normal`.
  std::string sqlite_synchronous = "full";
  std::chrono::milliseconds checkpoint_interval{1000};
  std::chrono::milliseconds sqlite_busy_timeout{10'000};

  // -- the model provider --------------------------------------------------------------------
  std::string openai_api_key; ///< a secret: never logged
  std::string openai_base_url = "https://api.openai.com/v1";
  bool openai_base_url_set = false; ///< whether any source named a base URL
  std::string model = "gpt-5-mini";
  std::chrono::milliseconds provider_connect_timeout{10'000};
  std::chrono::milliseconds provider_first_byte_timeout{120'000};
  std::chrono::milliseconds provider_idle_timeout{30'000};
  std::chrono::milliseconds provider_request_timeout{300'000};
  int provider_max_retries = 2;
  /// First retry's back-off; doubled each time, capped at 8 s, less up to 25 % jitter.
  std::chrono::milliseconds provider_retry_base_delay{500};

  // -- streams and limits ------------------------------------------------------------------
  std::chrono::milliseconds keepalive_interval{15'000};
  std::size_t max_streams_per_user = 8;
  std::size_t max_streams_total = 10'000;
  std::chrono::milliseconds drain_timeout{10'000};
  /// Fallbacks within `breaker_window` that mark the provider as down.
  std::size_t breaker_threshold = 20;
  std::chrono::milliseconds breaker_window{10'000};

  // -- accounts ---------------------------------------------------------------------------
  std::chrono::seconds session_idle_timeout{7 * 24 * 3600};
  std::chrono::seconds session_lifetime{30 * 24 * 3600};
  std::size_t login_limit_per_address = 10;  ///< failures per (account, address) in 15 min
  std::size_t login_limit_per_account = 100; ///< failures per account in an hour

  // -- operations -------------------------------------------------------------------------
  std::string log_level = "info";
  std::size_t scheduler_threads = 0; ///< 0: half the cores, at least one
  std::string admin_listen;          ///< empty: no admin port

  /// True when chatd runs its built-in mock as the provider (no key and no base URL given).
  bool demo_provider() const { return openai_api_key.empty() && !openai_base_url_set; }
};

} // namespace chatd::config
