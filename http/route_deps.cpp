#include "http/route_deps.hpp"

#include <caf/all.hpp>

#include "actors/sse_writer.hpp"
#include "domain/error.hpp"
#include "http/request_info.hpp"
#include "http/restinio_channel.hpp"

namespace chatd::http {

route_result reply_json(const restinio::request_handle_t& req, int status, std::string body,
                        actors::header_list headers) {
  std::make_shared<restinio_channel>(req)->send_json(status, std::move(body), std::move(headers));
  return restinio::request_accepted();
}

route_result reply_error(const restinio::request_handle_t& req, domain::error_code code,
                         std::string message) {
  return reply_json(req, domain::http_status(code), domain::error_body({code, std::move(message)}));
}

std::optional<route_result> refuse_unsafe(const route_deps& deps,
                                          const restinio::request_handle_t& req) {
  if (!origin_allowed(*req, deps.settings))
    return reply_error(req, domain::error_code::forbidden_origin,
                       "requests from another site are not accepted");
  if (req->body().size() > deps.settings.max_body_bytes)
    return reply_error(req, domain::error_code::payload_too_large,
                       "the body is larger than " + std::to_string(deps.settings.max_body_bytes) +
                           " bytes");
  return std::nullopt;
}

route_result with_session(const route_deps& deps, const restinio::request_handle_t& req,
                          session_work work) {
  auto token = credential_of(*req, is_secure_request(*req, deps.settings));
  if (!token)
    return reply_error(req, domain::error_code::unauthenticated, "sign in first");
  auto channel = std::make_shared<restinio_channel>(req);
  deps.system->spawn([accounts = deps.accounts, token = std::move(*token), channel,
                      work = std::move(work)](caf::event_based_actor* self) {
    self->request(accounts, std::chrono::seconds(30), actors::authenticate_query{token})
        .then([self, channel, work](domain::session_info& s) { work(self, s, channel); },
              [channel](caf::error& err) { actors::send_error(*channel, err); });
  });
  return restinio::request_accepted();
}

} // namespace chatd::http
