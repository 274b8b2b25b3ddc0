#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/http_client.hpp"

namespace chatd::test {

/// What a well-formed answer stream told its client, checked against API.md's rules:
/// ids consecutive from 1; `start` first; `content` chunk ids 1, 2, 3 … with `total_chars`
/// the running count of code points; exactly one terminal event (`complete` or `error`), last.
/// Throws std::runtime_error naming the broken rule.
struct checked_stream {
  nlohmann::json start;
  std::vector<nlohmann::json> contents;
  nlohmann::json terminal;
  std::string streamed_text; ///< the concatenated `content` data
};

checked_stream check_stream(const sse_result& result);

/// The number of Unicode code points of UTF-8 `text`.
std::size_t code_points(const std::string& text);

/// Rows of the `messages` table of a chatd database, oldest first, read through a connection
/// of the test's own.
struct stored_message {
  std::string id;
  std::string conversation_id;
  std::string role;
  std::string content;
  std::string status;
};
std::vector<stored_message> stored_messages(const std::string& db_file);

/// Every row of every table of a chatd database as text, to show that a request changed nothing.
std::string database_snapshot(const std::string& db_file);

} // namespace chatd::test
