#pragma once
// The mock's HTTP surface: one handler per route, all bound in `make_handler`.

#include "tools/mock_provider/openai_objects.hpp"
#include "tools/mock_provider/provider_state.hpp"

#include <restinio/all.hpp>

#include <memory>
#include <optional>

namespace chatd::mock {

// A plain table instead of RESTinio's express router: the surface is five fixed paths, and the
// router's std::regex trips g++ 12's -Wmaybe-uninitialized in sanitizer builds.
using server_traits = restinio::default_traits_t;

class routes {
public:
  explicit routes(std::shared_ptr<provider_state> state) : state_(std::move(state)) {}

  /// The server's request handler: every route bound to `self`, which it keeps alive.
  static restinio::default_request_handler_t make_handler(std::shared_ptr<routes> self);

  // -- OpenAI compatible, under /v1 (auth required) ---------------------------------------
  restinio::request_handling_status_t on_get_models(const restinio::request_handle_t& req);
  restinio::request_handling_status_t on_post_conversations(const restinio::request_handle_t& req);
  /// The main route; its own file, responses_route.cpp.
  restinio::request_handling_status_t on_post_responses(const restinio::request_handle_t& req);

  // -- for tests (no auth) ------------------------------------------------------------------
  restinio::request_handling_status_t on_get_mock_requests(const restinio::request_handle_t& req);
  restinio::request_handling_status_t on_post_mock_reset(const restinio::request_handle_t& req);

  restinio::request_handling_status_t on_not_found(const restinio::request_handle_t& req);

private:
  /// The 401 OpenAI would answer, if the bearer token is missing or not the required key.
  std::optional<api_error> check_auth(const restinio::request_handle_t& req) const;

  std::shared_ptr<provider_state> state_;
};

} // namespace chatd::mock
