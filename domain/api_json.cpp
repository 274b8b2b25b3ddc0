#include "domain/api_json.hpp"

#include <nlohmann/json.hpp>

#include "domain/time_format.hpp"

namespace chatd::domain {

namespace {

using nlohmann::json;

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json conversation_json(const conversation_record& c) {
  return {{"id", c.id},
          {"title", c.title},
          {"created_at", format_rfc3339(c.created_at)},
          {"updated_at", format_rfc3339(c.updated_at)}};
}

json message_json(const message_record& m, bool with_time) {
  json j = {{"id", m.id},
            {"role", to_string(m.role)},
            {"content", m.content},
            {"status", to_string(m.status)}};
  if (with_time)
    j["created_at"] = format_rfc3339(m.created_at);
  return j;
}

} // namespace

std::string user_body(const user_record& user) {
  return dump({{"user", {{"id", user.id}, {"username", user.username}}}});
}

std::string conversation_body(const conversation_record& c) {
  return dump({{"conversation", conversation_json(c)}});
}

std::string conversation_list_body(const std::vector<conversation_record>& list) {
  json items = json::array();
  for (auto& c : list)
    items.push_back(conversation_json(c));
  return dump({{"conversations", std::move(items)}});
}

std::string conversation_with_messages_body(const conversation_record& c,
                                            const std::vector<message_record>& messages) {
  json items = json::array();
  for (auto& m : messages)
    items.push_back(message_json(m, true));
  return dump({{"conversation", conversation_json(c)}, {"messages", std::move(items)}});
}

std::string message_body(const message_record& m) {
  return dump({{"message", message_json(m, false)}});
}

std::string chat_answer_body(const std::string& conversation_id, const std::string& user_message_id,
                             const message_record& answer) {
  return dump({{"conversation_id", conversation_id},
               {"user_message_id", user_message_id},
               {"message", message_json(answer, false)}});
}

std::string token_body(const std::string& token) {
  return dump({{"token", token}});
}

} // namespace chatd::domain
