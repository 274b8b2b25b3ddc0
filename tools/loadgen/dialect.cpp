#include "tools/loadgen/dialect.hpp"

#include <cstdio>

namespace chatd::loadgen {

bool speaks_responses_api(target_kind target) {
  return target == target_kind::mock || target == target_kind::tcp_relay;
}

std::string mock_directive(std::size_t deltas, double rate) {
  char rate_text[32];
  std::snprintf(rate_text, sizeof rate_text, "%g", rate);
  return "[[mock deltas=" + std::to_string(deltas) + " rate=" + rate_text + " stamp=1]]";
}

std::string stream_request(target_kind target, const endpoint& server, std::string_view token,
                           std::size_t deltas, double rate) {
  const auto text = "bench " + mock_directive(deltas, rate);
  std::string body;
  std::string path;
  if (speaks_responses_api(target)) {
    path = "/v1/responses";
    body = R"({"model":"mock-model","stream":true,"input":")" + text + "\"}";
  } else {
    path = "/api/chat/stream";
    body = R"({"message":")" + text + "\"}";
  }
  std::string host =
      server.host.find(':') != std::string::npos ? "[" + server.host + "]" : server.host;
  std::string r;
  r.reserve(body.size() + 256);
  r.append("POST ").append(path).append(" HTTP/1.1\r\n");
  r.append("Host: ").append(host).append(":").append(std::to_string(server.port)).append("\r\n");
  r.append("Authorization: Bearer ").append(token).append("\r\n");
  r.append("Content-Type: application/json\r\nAccept: text/event-stream\r\n");
  r.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n\r\n");
  r.append(body);
  return r;
}

event_kind classify(target_kind target, std::string_view type) {
  if (speaks_responses_api(target)) {
    if (type == "response.output_text.delta")
      return event_kind::content;
    if (type == "response.completed")
      return event_kind::success;
    if (type == "response.failed" || type == "response.incomplete" || type == "error")
      return event_kind::failure;
    return event_kind::other;
  }
  if (type == "content")
    return event_kind::content;
  if (type == "complete")
    return event_kind::success;
  if (type == "error")
    return event_kind::failure;
  return event_kind::other;
}

std::string_view text_member(target_kind target) {
  return speaks_responses_api(target) ? "delta" : "data";
}

} // namespace chatd::loadgen
