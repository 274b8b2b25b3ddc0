#include "http/routes.hpp"

namespace chatd::http {

std::unique_ptr<router_type> make_router(std::shared_ptr<const route_deps> deps) {
  auto router = std::make_unique<router_type>();
  // Binds a handler that needs no path parameters.
  auto bind = [deps](route_result (*handler)(const route_deps&, const request&)) {
    return [deps, handler](const request& req, params) { return handler(*deps, req); };
  };
  // Binds a handler that reads `:id`.
  auto bind_id = [deps](route_result (*handler)(const route_deps&, const request&, const params&)) {
    return [deps, handler](const request& req, params p) { return handler(*deps, req, p); };
  };
  const auto patch = restinio::http_method_patch();

  router->http_post("/api/auth/register", bind(on_post_register));
  router->http_post("/api/auth/login", bind(on_post_login));
  router->http_post("/api/auth/logout", bind(on_post_logout));
  router->http_get("/api/auth/session", bind(on_get_session));
  router->http_post("/api/auth/tokens", bind(on_post_tokens));

  router->http_get("/api/conversations", bind(on_get_conversations));
  router->http_post("/api/conversations", bind(on_post_conversations));
  router->http_get("/api/conversations/:id", bind_id(on_get_conversation));
  router->add_handler(patch, "/api/conversations/:id", bind_id(on_patch_conversation));
  router->http_delete("/api/conversations/:id", bind_id(on_delete_conversation));

  router->http_post("/api/chat/stream", bind(on_post_chat_stream));
  router->http_get("/api/chat/stream/:id", bind_id(on_get_chat_stream));
  router->http_post("/api/chat", bind(on_post_chat));
  router->http_post("/api/chat/stop", bind(on_post_chat_stop));

  router->http_get("/healthz", bind(on_get_healthz));
  router->http_get("/readyz", bind(on_get_readyz));
  router->http_get("/metrics", bind(on_get_metrics));

  router->non_matched_request_handler(
      [deps](const request& req) { return on_unmatched(*deps, req); });
  return router;
}

} // namespace chatd::http
