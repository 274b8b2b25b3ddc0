#include "domain/records.hpp"

namespace chatd::domain {

std::string_view to_string(message_role role) {
  return role == message_role::user ? "user" : "assistant";
}

std::string_view to_string(message_status status) {
  switch (status) {
  case message_status::complete:
    return "complete";
  case message_status::streaming:
    return "streaming";
  case message_status::stopped:
    return "stopped";
  case message_status::failed:
    return "failed";
  case message_status::interrupted:
    return "interrupted";
  }
  return "failed";
}

std::optional<message_role> parse_role(std::string_view text) {
  if (text == "user")
    return message_role::user;
  if (text == "assistant")
    return message_role::assistant;
  return std::nullopt;
}

std::optional<message_status> parse_status(std::string_view text) {
  for (auto s : {message_status::complete, message_status::streaming, message_status::stopped,
                 message_status::failed, message_status::interrupted})
    if (to_string(s) == text)
      return s;
  return std::nullopt;
}

} // namespace chatd::domain
