#include <caf/all.hpp>

#include "actors/sse_writer.hpp"
#include "domain/api_json.hpp"
#include "domain/request_validation.hpp"
#include "http/request_info.hpp"
#include "http/restinio_channel.hpp"
#include "http/routes.hpp"

namespace chatd::http {

namespace {

using namespace chatd::domain;

/// Answers a successful login or registration: the user, and the session cookie.
void send_signed_in(std::chrono::seconds lifetime, bool secure, actors::response_channel& channel,
                    int status, const actors::login_result& result) {
  channel.send_json(status, user_body(result.user),
                    {{"Set-Cookie", session_cookie(result.token, lifetime.count(), secure)}});
}

/// Register and login share everything but the message sent and the success status.
template<class Command>
route_result sign_in(const route_deps& deps, const request& req, int status, Command cmd) {
  auto channel = std::make_shared<restinio_channel>(req);
  auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(deps.settings.session_lifetime);
  bool secure = is_secure_request(*req, deps.settings);
  deps.system->spawn([accounts = deps.accounts, channel, status, lifetime, secure,
                      cmd = std::move(cmd)](caf::event_based_actor* self) mutable {
    self->request(accounts, std::chrono::seconds(30), std::move(cmd))
        .then(
            [channel, status, lifetime, secure](actors::login_result& r) {
              send_signed_in(lifetime, secure, *channel, status, r);
            },
            [channel](caf::error& err) { actors::send_error(*channel, err); });
  });
  return restinio::request_accepted();
}

} // namespace

route_result on_post_register(const route_deps& deps, const request& req) {
  if (auto refused = refuse_unsafe(deps, req))
    return *refused;
  auto creds = parse_credentials(req->body());
  if (!creds)
    return reply_error(req, creds.error().code, creds.error().message);
  return sign_in(deps, req, 201, actors::register_cmd{creds->username, creds->password});
}

route_result on_post_login(const route_deps& deps, const request& req) {
  if (auto refused = refuse_unsafe(deps, req))
    return *refused;
  auto creds = parse_login(req->body());
  if (!creds)
    return reply_error(req, creds.error().code, creds.error().message);
  if (creds->password.size() > 1024)
    return reply_error(req, error_code::invalid_credentials, "wrong username or password");
  return sign_in(
      deps, req, 200,
      actors::login_cmd{creds->username, creds->password, client_address(*req, deps.settings)});
}

route_result on_post_logout(const route_deps& deps, const request& req) {
  if (auto refused = refuse_unsafe(deps, req))
    return *refused;
  bool secure = is_secure_request(*req, deps.settings);
  auto token = credential_of(*req, secure);
  auto clear = session_cookie("", 0, secure);
  if (!token)
    return reply_json(req, 204, "", {{"Set-Cookie", clear}});
  auto channel = std::make_shared<restinio_channel>(req);
  deps.system->spawn([accounts = deps.accounts, channel, clear,
                      token = std::move(*token)](caf::event_based_actor* self) {
    self->request(accounts, std::chrono::seconds(30), actors::logout_cmd{token})
        .then(
            [channel, clear](bool) {
              channel->send_json(204, "", {{"Set-Cookie", clear}});
            },
            [channel](caf::error& err) { actors::send_error(*channel, err); });
  });
  return restinio::request_accepted();
}

route_result on_get_session(const route_deps& deps, const request& req) {
  return with_session(deps, req,
                      [](caf::event_based_actor*, const session_info& s,
                         const actors::response_channel_ptr& channel) {
                        channel->send_json(200, user_body(s.user));
                      });
}

route_result on_post_tokens(const route_deps& deps, const request& req) {
  if (auto refused = refuse_unsafe(deps, req))
    return *refused;
  return with_session(
      deps, req,
      [accounts = deps.accounts](caf::event_based_actor* self, const session_info& s,
                                 const actors::response_channel_ptr& channel) {
        self->request(accounts, std::chrono::seconds(30), actors::issue_token_cmd{s.user})
            .then([channel](
                      actors::issued_token& t) { channel->send_json(201, token_body(t.token)); },
                  [channel](caf::error& err) { actors::send_error(*channel, err); });
      });
}

} // namespace chatd::http
