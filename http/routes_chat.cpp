#include <caf/all.hpp>

#include "actors/sse_writer.hpp"
#include "domain/api_json.hpp"
#include "domain/request_validation.hpp"
#include "http/request_info.hpp"
#include "http/routes.hpp"

namespace chatd::http {

namespace {

using namespace chatd::domain;
using channel_ptr = actors::response_channel_ptr;

/// The turn a chat request asks for, or the answer that refuses it.
std::variant<actors::start_turn_cmd, route_result> turn_request(const route_deps& deps,
                                                                const request& req) {
  if (auto refused = refuse_unsafe(deps, req))
    return *refused;
  auto body = parse_chat_request(req->body());
  if (!body)
    return reply_error(req, body.error().code, body.error().message);
  actors::start_turn_cmd cmd;
  cmd.text = std::move(body->message);
  if (body->conversation_id) {
    if (!is_well_formed_id(*body->conversation_id))
      return reply_error(req, error_code::not_found, "this conversation does not exist");
    cmd.conversation_id = std::move(*body->conversation_id);
  }
  if (auto key = header_of(*req, "Idempotency-Key")) {
    if (!is_valid_idempotency_key(*key))
      return reply_error(req, error_code::invalid_request,
                         "Idempotency-Key must be 1 to 255 printable ASCII characters");
    cmd.idempotency_key = std::move(*key);
  }
  return cmd;
}

} // namespace

route_result on_post_chat_stream(const route_deps& deps, const request& req) {
  auto parsed = turn_request(deps, req);
  if (auto* refused = std::get_if<route_result>(&parsed))
    return *refused;
  auto cmd = std::get<actors::start_turn_cmd>(std::move(parsed));
  return with_session(
      deps, req,
      [registry = deps.registry, keepalive = deps.settings.keepalive_interval, cmd](
          caf::event_based_actor* self, const session_info& s, const channel_ptr& channel) mutable {
        cmd.user_id = s.user.id;
        cmd.request_id = channel->request_id();
        cmd.streaming = true;
        self->spawn(actors::sse_writer, channel, keepalive, registry, actors::stream_opening{cmd});
      });
}

route_result on_get_chat_stream(const route_deps& deps, const request& req, const params& p) {
  auto raw = p["id"];
  std::string id(raw.data(), raw.size());
  if (!is_well_formed_id(id))
    return reply_error(req, error_code::not_found, "this answer does not exist");
  auto last = last_event_id_of(*req);
  if (!last)
    return reply_error(req, error_code::invalid_request, "Last-Event-ID must be a number");
  return with_session(
      deps, req,
      [registry = deps.registry, keepalive = deps.settings.keepalive_interval, id, last = *last](
          caf::event_based_actor* self, const session_info& s, const channel_ptr& channel) {
        self->spawn(actors::sse_writer, channel, keepalive, registry,
                    actors::stream_opening{actors::attach_cmd{s.user.id, id, last}});
      });
}

route_result on_post_chat(const route_deps& deps, const request& req) {
  auto parsed = turn_request(deps, req);
  if (auto* refused = std::get_if<route_result>(&parsed))
    return *refused;
  auto cmd = std::get<actors::start_turn_cmd>(std::move(parsed));
  return with_session(deps, req,
                      [registry = deps.registry, cmd](caf::event_based_actor* self,
                                                      const session_info& s,
                                                      const channel_ptr& channel) mutable {
                        cmd.user_id = s.user.id;
                        cmd.request_id = channel->request_id();
                        cmd.streaming = false;
                        self->spawn(actors::whole_answer, channel, registry, cmd);
                      });
}

route_result on_post_chat_stop(const route_deps& deps, const request& req) {
  if (auto refused = refuse_unsafe(deps, req))
    return *refused;
  auto body = parse_stop_request(req->body());
  if (!body)
    return reply_error(req, body.error().code, body.error().message);
  if (!is_well_formed_id(body->message_id))
    return reply_error(req, error_code::not_found, "this answer does not exist");
  return with_session(
      deps, req,
      [registry = deps.registry, id = body->message_id](
          caf::event_based_actor* self, const session_info& s, const channel_ptr& channel) {
        self->request(registry, std::chrono::seconds(30), actors::stop_cmd{s.user.id, id})
            .then([channel](message_record& m) { channel->send_json(200, message_body(m)); },
                  [channel](caf::error& err) { actors::send_error(*channel, err); });
      });
}

} // namespace chatd::http
