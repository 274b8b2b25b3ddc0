#include <caf/all.hpp>

#include "actors/sse_writer.hpp"
#include "domain/api_json.hpp"
#include "domain/request_validation.hpp"
#include "http/routes.hpp"

namespace chatd::http {

namespace {

using namespace chatd::domain;
using channel_ptr = actors::response_channel_ptr;

constexpr auto timeout = std::chrono::seconds(30);

/// The conversation id of the path, if it can name one.
std::optional<std::string> conversation_id(const params& p) {
  auto raw = p["id"];
  std::string id(raw.data(), raw.size());
  if (!is_well_formed_id(id))
    return std::nullopt;
  return id;
}

route_result no_such_conversation(const request& req) {
  return reply_error(req, error_code::not_found, "this conversation does not exist");
}

} // namespace

route_result on_get_conversations(const route_deps& deps, const request& req) {
  return with_session(deps, req,
                      [reader = deps.reader](caf::event_based_actor* self, const session_info& s,
                                             const channel_ptr& channel) {
                        self->request(reader, timeout, actors::list_conversations_query{s.user.id})
                            .then(
                                [channel](std::vector<conversation_record>& list) {
                                  channel->send_json(200, conversation_list_body(list));
                                },
                                [channel](caf::error& err) { actors::send_error(*channel, err); });
                      });
}

route_result on_post_conversations(const route_deps& deps, const request& req) {
  if (auto refused = refuse_unsafe(deps, req))
    return *refused;
  auto body = parse_new_conversation(req->body());
  if (!body)
    return reply_error(req, body.error().code, body.error().message);
  auto title = body->title.value_or("New conversation");
  return with_session(
      deps, req,
      [writer = deps.writer, title](caf::event_based_actor* self, const session_info& s,
                                    const channel_ptr& channel) {
        self->request(writer, timeout, actors::create_conversation_cmd{s.user.id, title})
            .then([channel](
                      conversation_record& c) { channel->send_json(201, conversation_body(c)); },
                  [channel](caf::error& err) { actors::send_error(*channel, err); });
      });
}

route_result on_get_conversation(const route_deps& deps, const request& req, const params& p) {
  auto id = conversation_id(p);
  if (!id)
    return no_such_conversation(req);
  return with_session(
      deps, req,
      [reader = deps.reader, id = *id](caf::event_based_actor* self, const session_info& s,
                                       const channel_ptr& channel) {
        auto fail = [channel](caf::error& err) { actors::send_error(*channel, err); };
        self->request(reader, timeout, actors::get_conversation_query{id})
            .then(
                [self, reader, channel, fail, user = s.user.id](conversation_record& c) {
                  if (c.user_id != user)
                    return channel->send_json(
                        404,
                        error_body({error_code::not_found, "this conversation does not exist"}));
                  self->request(reader, timeout, actors::get_messages_query{c.id})
                      .then(
                          [channel, c](std::vector<message_record>& messages) {
                            channel->send_json(200, conversation_with_messages_body(c, messages));
                          },
                          fail);
                },
                fail);
      });
}

route_result on_patch_conversation(const route_deps& deps, const request& req, const params& p) {
  if (auto refused = refuse_unsafe(deps, req))
    return *refused;
  auto id = conversation_id(p);
  if (!id)
    return no_such_conversation(req);
  auto body = parse_rename(req->body());
  if (!body)
    return reply_error(req, body.error().code, body.error().message);
  return with_session(
      deps, req,
      [writer = deps.writer, id = *id, title = *body->title](
          caf::event_based_actor* self, const session_info& s, const channel_ptr& channel) {
        self->request(writer, timeout, actors::rename_conversation_cmd{s.user.id, id, title})
            .then([channel](
                      conversation_record& c) { channel->send_json(200, conversation_body(c)); },
                  [channel](caf::error& err) { actors::send_error(*channel, err); });
      });
}

route_result on_delete_conversation(const route_deps& deps, const request& req, const params& p) {
  if (auto refused = refuse_unsafe(deps, req))
    return *refused;
  auto id = conversation_id(p);
  if (!id)
    return no_such_conversation(req);
  return with_session(
      deps, req,
      [registry = deps.registry, id = *id](caf::event_based_actor* self, const session_info& s,
                                           const channel_ptr& channel) {
        self->request(registry, timeout, actors::delete_conversation_cmd{s.user.id, id})
            .then([channel](bool) { channel->send_json(204, ""); },
                  [channel](caf::error& err) { actors::send_error(*channel, err); });
      });
}

} // namespace chatd::http
