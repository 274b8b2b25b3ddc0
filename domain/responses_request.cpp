#include "domain/responses_request.hpp"

#include <nlohmann/json.hpp>

namespace chatd::domain {

std::string encode_responses_request(const responses_request& req) {
  nlohmann::json body = {{"model", req.model}, {"input", req.input}, {"stream", req.stream}};
  if (!req.context.empty()) {
    auto items = nlohmann::json::array();
    for (const auto& m : req.context)
      items.push_back({{"role", to_string(m.role)}, {"content", m.content}});
    items.push_back({{"role", "user"}, {"content", req.input}});
    body["input"] = std::move(items);
  }
  if (!req.previous_response_id.empty())
    body["previous_response_id"] = req.previous_response_id;
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace chatd::domain
