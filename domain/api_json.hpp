#pragma once

#include <string>
#include <vector>

#include "domain/records.hpp"

namespace chatd::domain {

// The JSON bodies of API.md's successful answers, in one place.

/// `{"user": {"id", "username"}}`
std::string user_body(const user_record& user);

/// `{"conversation": {"id", "title", "created_at", "updated_at"}}`
std::string conversation_body(const conversation_record& c);

/// `{"conversations": [...]}`, in the given order.
std::string conversation_list_body(const std::vector<conversation_record>& list);

/// `{"conversation": {...}, "messages": [{"id", "role", "content", "status", "created_at"}]}`
std::string conversation_with_messages_body(const conversation_record& c,
                                            const std::vector<message_record>& messages);

/// `{"message": {"id", "role", "content", "status"}}`
std::string message_body(const message_record& m);

/// `POST /api/chat`: `{"conversation_id", "user_message_id", "message": {...}}`
std::string chat_answer_body(const std::string& conversation_id, const std::string& user_message_id,
                             const message_record& answer);

/// `{"token": "..."}`
std::string token_body(const std::string& token);

} // namespace chatd::domain
