#include "support/stream_checks.hpp"

#include <stdexcept>

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace chatd::test {

namespace {

void expect(bool ok, const std::string& rule) {
  if (!ok)
    throw std::runtime_error("stream rule broken: " + rule);
}

} // namespace

std::size_t code_points(const std::string& text) {
  std::size_t n = 0;
  for (unsigned char c : text)
    n += (c & 0xC0) != 0x80;
  return n;
}

checked_stream check_stream(const sse_result& result) {
  checked_stream out;
  expect(result.status == 200, "status 200, got " + std::to_string(result.status));
  expect(result.headers.count("content-type") &&
             result.headers.at("content-type").find("text/event-stream") == 0,
         "content type text/event-stream");
  expect(!result.events.empty(), "at least one event");
  std::size_t chars = 0;
  for (std::size_t i = 0; i < result.events.size(); ++i) {
    auto& ev = result.events[i];
    expect(ev.id == std::to_string(i + 1),
           "ids consecutive from 1 (event " + std::to_string(i) + " has id '" + ev.id + "')");
    auto data = nlohmann::json::parse(ev.data);
    auto type = data.at("type").get<std::string>();
    if (i == 0) {
      expect(type == "start", "start comes first");
      out.start = data;
      continue;
    }
    if (type == "content") {
      expect(out.terminal.is_null(), "nothing after the terminal event");
      auto text = data.at("data").get<std::string>();
      chars += code_points(text);
      expect(data.at("chunk_id").get<std::size_t>() == out.contents.size() + 1,
             "chunk ids 1, 2, 3 …");
      expect(data.at("total_chars").get<std::size_t>() == chars, "total_chars counts code points");
      out.streamed_text += text;
      out.contents.push_back(data);
    } else if (type == "complete" || type == "error") {
      expect(out.terminal.is_null(), "exactly one terminal event");
      expect(i + 1 == result.events.size(), "the terminal event is the last");
      out.terminal = data;
    } else {
      expect(false, "known event type, got " + type);
    }
  }
  expect(!out.terminal.is_null(), "a terminal event");
  return out;
}

std::vector<stored_message> stored_messages(const std::string& db_file) {
  soci::session sql(soci::sqlite3, "db=\"" + db_file + "\" timeout=10");
  std::vector<stored_message> out;
  soci::rowset<soci::row> rows =
      (sql.prepare
       << "SELECT id, conversation_id, role, content, status FROM messages ORDER BY rowid");
  for (auto& r : rows)
    out.push_back({r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2),
                   r.get<std::string>(3), r.get<std::string>(4)});
  return out;
}

} // namespace chatd::test

namespace chatd::test {

std::string database_snapshot(const std::string& db_file) {
  soci::session sql(soci::sqlite3, "db=\"" + db_file + "\" timeout=10");
  std::string out;
  for (const char* table : {"users", "sessions", "conversations", "messages", "idempotency_keys"}) {
    out += std::string("== ") + table + "\n";
    soci::rowset<soci::row> rows =
        (sql.prepare << std::string("SELECT * FROM ") + table + " ORDER BY rowid");
    for (auto& r : rows) {
      for (std::size_t i = 0; i < r.size(); ++i) {
        if (r.get_indicator(i) == soci::i_null) {
          out += "NULL";
        } else if (r.get_properties(i).get_data_type() == soci::dt_string) {
          out += r.get<std::string>(i);
        } else if (r.get_properties(i).get_data_type() == soci::dt_long_long) {
          out += std::to_string(r.get<long long>(i));
        } else if (r.get_properties(i).get_data_type() == soci::dt_integer) {
          out += std::to_string(r.get<int>(i));
        } else {
          out += "?";
        }
        out += '|';
      }
      out += '\n';
    }
  }
  return out;
}

} // namespace chatd::test
