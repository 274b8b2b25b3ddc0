#pragma once

#include <memory>

#include <restinio/all.hpp>

#include "http/route_deps.hpp"

namespace chatd::http {

using router_type = restinio::router::express_router_t<>;
using request = restinio::request_handle_t;
using params = restinio::router::route_params_t;

/// Every route of the service, bound in one place (see routes.cpp for the whole surface).
std::unique_ptr<router_type> make_router(std::shared_ptr<const route_deps> deps);

// One handler per route, by file: routes_auth.cpp, routes_conversations.cpp,
// routes_chat.cpp, routes_ops.cpp.

route_result on_post_register(const route_deps& deps, const request& req);
route_result on_post_login(const route_deps& deps, const request& req);
route_result on_post_logout(const route_deps& deps, const request& req);
route_result on_get_session(const route_deps& deps, const request& req);
route_result on_post_tokens(const route_deps& deps, const request& req);

route_result on_get_conversations(const route_deps& deps, const request& req);
route_result on_post_conversations(const route_deps& deps, const request& req);
route_result on_get_conversation(const route_deps& deps, const request& req, const params& p);
route_result on_patch_conversation(const route_deps& deps, const request& req, const params& p);
route_result on_delete_conversation(const route_deps& deps, const request& req, const params& p);

route_result on_post_chat_stream(const route_deps& deps, const request& req);
route_result on_get_chat_stream(const route_deps& deps, const request& req, const params& p);
route_result on_post_chat(const route_deps& deps, const request& req);
route_result on_post_chat_stop(const route_deps& deps, const request& req);

route_result on_get_healthz(const route_deps& deps, const request& req);
route_result on_get_readyz(const route_deps& deps, const request& req);
route_result on_get_metrics(const route_deps& deps, const request& req);
/// Anything else: the browser UI's files for GET, `404 not_found` otherwise.
route_result on_unmatched(const route_deps& deps, const request& req);

} // namespace chatd::http
