#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <restinio/all.hpp>

#include "config/settings.hpp"

namespace chatd::http {

/// The session cookie's name: `__Host-` prefixed when cookies are Secure, as browsers then
/// guarantee it was set by this very origin over TLS.
std::string_view session_cookie_name(bool secure);

/// Whether the client reached the service over TLS: configured so (`cookie_secure`, or an
/// https `public_origin`), or said so by a trusted proxy.
bool is_secure_request(const restinio::request_t& req, const config::settings& s);

/// The credential a request carries: `Authorization: Bearer …`, else a session cookie. With
/// `secure_only` (a request over TLS: is_secure_request) only the `__Host-` cookie counts: a
/// plain one may have been planted by a sibling subdomain or over plain HTTP.
std::optional<std::string> credential_of(const restinio::request_t& req, bool secure_only);

/// `Set-Cookie` value that stores `token` for `max_age_s` seconds (0 clears it).
std::string session_cookie(const std::string& token, long long max_age_s, bool secure);

/// A header's value, if present.
std::optional<std::string> header_of(const restinio::request_t& req, std::string_view name);

/// Every value of a header that may come more than once, in the order of the request.
std::vector<std::string_view> header_values(const restinio::request_t& req, std::string_view name);

/// The client's IP address as text. Behind a trusted proxy, the last `X-Forwarded-For` hop: the
/// one that proxy appended (the hops before it are whatever the client wrote).
std::string client_address(const restinio::request_t& req, const config::settings& s);

/// Whether a state-changing request may proceed: its `Origin`, when present, must be the
/// service's own (`public_origin`, else `http://` — `https://` behind a trusted TLS proxy —
/// plus the Host header).
bool origin_allowed(const restinio::request_t& req, const config::settings& s);

/// `Last-Event-ID` as a number; 0 when absent; nullopt when malformed or over 2^53 - 1.
std::optional<std::uint64_t> last_event_id_of(const restinio::request_t& req);

} // namespace chatd::http
