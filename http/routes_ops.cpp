#include <filesystem>
#include <optional>

#include <caf/all.hpp>

#include "domain/error.hpp"
#include "http/restinio_channel.hpp"
#include "http/routes.hpp"
#include "http/static_files.hpp"

namespace chatd::http {

namespace {

/// The browser UI may load only its own scripts and styles: the last line against XSS.
constexpr const char* content_security_policy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'";

restinio::http_status_line_t status_line(int status) {
  return {restinio::http_status_code_t{static_cast<std::uint16_t>(status)}, reason_phrase(status)};
}

/// Paths that are routes of the API, never pages of the UI.
bool is_api_path(std::string_view target) {
  return target.substr(0, 5) == "/api/" || target == "/api";
}

/// Content-hashed assets are cached for long; anything else is asked for again.
const char* cache_control_of(const static_file& file) {
  return file.immutable ? "public, max-age=31536000, immutable" : "no-cache";
}

route_result reply_text(const request& req, int status, const std::string& content_type,
                        std::string body) {
  auto resp = req->create_response(status_line(status));
  with_common_headers(resp);
  resp.append_header(restinio::http_field::content_type, content_type);
  resp.append_header(restinio::http_field::cache_control, "no-store");
  resp.set_body(std::move(body));
  return resp.done();
}

/// Why the service should not receive traffic now (starting, draining, a database that refuses
/// changes or was replaced), or nothing. GET and HEAD /readyz both ask it.
std::optional<std::string> not_ready_reason(const route_deps& deps) {
  if (!deps.ready || !deps.ready())
    return "the service is not ready";
  return deps.database_problem ? deps.database_problem() : std::nullopt;
}

/// The answer to HEAD: the status and headers, with the length a GET's body would have, and no
/// body (RFC 9110, 9.3.2): a body would be read as the start of the next response.
route_result reply_head(const request& req, int status, const std::string& content_type,
                        std::size_t length, const std::string& cache_control) {
  auto resp = req->create_response<restinio::user_controlled_output_t>(status_line(status));
  with_common_headers(resp);
  resp.append_header(restinio::http_field::content_type, content_type);
  resp.append_header(restinio::http_field::cache_control, cache_control);
  resp.set_content_length(length);
  return resp.done();
}

/// HEAD: the operational routes and the UI's files answer as their GET would (readiness from
/// the service's own flag, without the database round trip); nothing else has a HEAD form.
route_result on_head(const route_deps& deps, const request& req) {
  constexpr const char* json = "application/json; charset=utf-8";
  auto path = req->header().path();
  std::string_view target(path.data(), path.size());
  if (target == "/healthz")
    return reply_head(req, 200, json, std::string_view(R"({"status":"ok"})").size(), "no-store");
  if (target == "/readyz") {
    bool ready = !not_ready_reason(deps);
    return reply_head(req, ready ? 200 : 503, json,
                      ready ? std::string_view(R"({"status":"ready"})").size() : 0, "no-store");
  }
  if (target == "/metrics")
    return reply_head(req, 200, "text/plain; version=0.0.4; charset=utf-8",
                      deps.metrics ? deps.metrics().size() : 0, "no-store");
  std::optional<static_file> file;
  if (!is_api_path(target))
    file = resolve_static(deps.settings.static_dir, target);
  std::error_code ec;
  auto size = file ? std::filesystem::file_size(file->path, ec) : 0;
  if (!file || ec)
    return reply_head(req, 404, json, 0, "no-store");
  return reply_head(req, 200, file->content_type, static_cast<std::size_t>(size),
                    cache_control_of(*file));
}

} // namespace

route_result on_get_healthz(const route_deps&, const request& req) {
  return reply_json(req, 200, R"({"status":"ok"})");
}

route_result on_get_readyz(const route_deps& deps, const request& req) {
  if (auto reason = not_ready_reason(deps))
    return reply_error(req, domain::error_code::shutting_down, *reason);
  // Ready means the actors answer and the database does too.
  auto channel = std::make_shared<restinio_channel>(req);
  deps.system->spawn([reader = deps.reader, channel](caf::event_based_actor* self) {
    auto not_ready = [channel] {
      channel->send_json(503, domain::error_body({domain::error_code::shutting_down,
                                                  "the database does not answer"}));
    };
    self->request(reader, std::chrono::seconds(2), actors::ping_atom::value)
        .then(
            [channel, not_ready](bool ok) {
              if (ok)
                channel->send_json(200, R"({"status":"ready"})");
              else
                not_ready();
            },
            [not_ready](caf::error&) { not_ready(); });
  });
  return restinio::request_accepted();
}

route_result on_get_metrics(const route_deps& deps, const request& req) {
  return reply_text(req, 200, "text/plain; version=0.0.4; charset=utf-8",
                    deps.metrics ? deps.metrics() : std::string{});
}

route_result on_unmatched(const route_deps& deps, const request& req) {
  if (req->header().method() == restinio::http_method_head())
    return on_head(deps, req);
  auto path = req->header().path();
  std::string_view target(path.data(), path.size());
  bool is_get = req->header().method() == restinio::http_method_get();
  if (!is_get || is_api_path(target))
    return reply_error(req, domain::error_code::not_found, "no such route");
  auto file = resolve_static(deps.settings.static_dir, target);
  if (!file)
    return reply_error(req, domain::error_code::not_found, "no such page");
  auto resp = req->create_response();
  with_common_headers(resp);
  resp.append_header(restinio::http_field::content_type, file->content_type);
  resp.append_header(restinio::http_field::cache_control, cache_control_of(*file));
  resp.append_header("Content-Security-Policy", content_security_policy);
  resp.set_body(restinio::sendfile(file->path));
  return resp.done();
}

} // namespace chatd::http
