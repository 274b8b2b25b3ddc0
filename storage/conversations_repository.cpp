#include "storage/conversations_repository.hpp"

#include <soci/soci.h>

#include "storage/ids.hpp"
#include "storage/sql.hpp"

namespace chatd::storage {

using namespace chatd::domain;

namespace {

conversation_record conversation_from(const soci::row& r) {
  return {r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2),
          r.get<std::string>(3), r.get<long long>(4),   r.get<long long>(5)};
}

message_record message_from(const soci::row& r) {
  message_record m;
  m.id = r.get<std::string>(0);
  m.conversation_id = r.get<std::string>(1);
  m.role = parse_role(r.get<std::string>(2)).value_or(message_role::assistant);
  m.content = r.get<std::string>(3);
  m.status = parse_status(r.get<std::string>(4)).value_or(message_status::failed);
  m.created_at = r.get<long long>(5);
  m.ending = r.get<std::string>(6);
  return m;
}

long long affected(soci::statement& st) {
  st.execute(true);
  return st.get_affected_rows();
}

} // namespace

/// The statements of every turn, prepared once. Each is bound by address to the fields below:
/// set them, then execute.
struct conversations_repository::prepared {
  explicit prepared(soci::session& sql)
      : insert_conversation((sql.prepare << sql::insert_conversation, soci::use(id, "id"),
                             soci::use(user_id, "user_id"), soci::use(title, "title"),
                             soci::use(now, "now"))),
        insert_message((sql.prepare << sql::insert_message, soci::use(id, "id"),
                        soci::use(conversation_id, "conversation_id"), soci::use(role, "role"),
                        soci::use(content, "content"), soci::use(status, "status"),
                        soci::use(now, "now"))),
        touch_conversation((sql.prepare << sql::touch_conversation, soci::use(now, "now"),
                            soci::use(conversation_id, "id"))),
        checkpoint((sql.prepare << sql::checkpoint_message, soci::use(content, "content"),
                    soci::use(now, "now"), soci::use(id, "id"))),
        finish_message((sql.prepare << sql::finish_message, soci::use(content, "content"),
                        soci::use(status, "status"), soci::use(ending, "ending"),
                        soci::use(now, "now"), soci::use(id, "id"))),
        set_provider_ref((sql.prepare << sql::set_provider_ref, soci::use(ref, "ref"),
                          soci::use(now, "now"), soci::use(conversation_id, "id"))) {}

  std::string id;
  std::string user_id;
  std::string title;
  std::string conversation_id;
  std::string role;
  std::string content;
  std::string status;
  std::string ref;
  std::string ending;
  long long now = 0;
  soci::statement insert_conversation;
  soci::statement insert_message;
  soci::statement touch_conversation;
  soci::statement checkpoint;
  soci::statement finish_message;
  soci::statement set_provider_ref;
};

conversation_record conversations_repository::create(const std::string& user_id,
                                                     const std::string& title, unix_ms now) {
  conversation_record c{new_id('c'), user_id, title, "", now, now};
  insert(c);
  return c;
}

void conversations_repository::insert(const conversation_record& c) {
  auto& p = statements();
  p.id = c.id;
  p.user_id = c.user_id;
  p.title = c.title;
  p.now = c.created_at;
  p.insert_conversation.execute(true);
}

std::optional<conversation_record> conversations_repository::find(const std::string& user_id,
                                                                  const std::string& id) {
  soci::rowset<soci::row> rows = (sql_.prepare << sql::select_conversation, soci::use(id, "id"),
                                  soci::use(user_id, "user_id"));
  for (auto& r : rows)
    return conversation_from(r);
  return std::nullopt;
}

std::optional<conversation_record> conversations_repository::find_any(const std::string& id) {
  soci::rowset<soci::row> rows =
      (sql_.prepare << sql::select_conversation_by_id, soci::use(id, "id"));
  for (auto& r : rows)
    return conversation_from(r);
  return std::nullopt;
}

std::vector<conversation_record> conversations_repository::list(const std::string& user_id) {
  std::vector<conversation_record> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << sql::select_conversations_of_user, soci::use(user_id, "user_id"));
  for (auto& r : rows)
    out.push_back(conversation_from(r));
  return out;
}

std::optional<conversation_record> conversations_repository::rename(const std::string& user_id,
                                                                    const std::string& id,
                                                                    const std::string& title,
                                                                    unix_ms now) {
  long long at = now;
  soci::statement st = (sql_.prepare << sql::rename_conversation, soci::use(title, "title"),
                        soci::use(at, "now"), soci::use(id, "id"), soci::use(user_id, "user_id"));
  if (affected(st) == 0)
    return std::nullopt;
  return find(user_id, id);
}

bool conversations_repository::remove(const std::string& user_id, const std::string& id) {
  soci::statement st = (sql_.prepare << sql::delete_conversation, soci::use(id, "id"),
                        soci::use(user_id, "user_id"));
  return affected(st) > 0;
}

std::vector<message_record> conversations_repository::messages(const std::string& conversation_id) {
  std::vector<message_record> out;
  soci::rowset<soci::row> rows = (sql_.prepare << sql::select_messages_of_conversation,
                                  soci::use(conversation_id, "conversation_id"));
  for (auto& r : rows)
    out.push_back(message_from(r));
  return out;
}

std::optional<message_record>
conversations_repository::find_message(const std::string& user_id, const std::string& message_id) {
  soci::rowset<soci::row> rows = (sql_.prepare << sql::select_message_of_user,
                                  soci::use(message_id, "id"), soci::use(user_id, "user_id"));
  for (auto& r : rows)
    return message_from(r);
  return std::nullopt;
}

std::optional<std::pair<message_record, std::string>>
conversations_repository::find_message_with_owner(const std::string& message_id) {
  soci::rowset<soci::row> rows =
      (sql_.prepare << sql::select_message_with_owner, soci::use(message_id, "id"));
  for (auto& r : rows)
    return std::make_pair(message_from(r), r.get<std::string>(7));
  return std::nullopt;
}

turn_record conversations_repository::begin_turn(const std::string& user_id,
                                                 const std::string& conversation_id,
                                                 const std::string& text,
                                                 const std::string& idempotency_key, unix_ms now,
                                                 bool new_conversation, bool chained) {
  turn_record turn{
      conversation_id,
      {new_id('m'), conversation_id, message_role::user, text, message_status::complete, now, ""},
      {new_id('m'), conversation_id, message_role::assistant, "", message_status::streaming, now,
       ""},
      {},
      {}};
  // A bound on what is told again: a long run of failed turns must not grow every request.
  if (!new_conversation)
    turn.unchained = unchained_messages(conversation_id, 40);
  if (chained)
    turn.history = recent_messages(conversation_id, 40);
  insert_message(turn.user_message);
  insert_message(turn.assistant_message);
  auto& p = statements();
  p.now = now;
  p.conversation_id = conversation_id;
  p.touch_conversation.execute(true);
  if (!idempotency_key.empty()) {
    long long at = now;
    long long since = now - idempotency_key_lifetime_ms;
    sql_ << sql::delete_expired_idempotency_key, soci::use(user_id, "user_id"),
        soci::use(idempotency_key, "key"), soci::use(since, "since");
    sql_ << sql::insert_idempotency_key, soci::use(user_id, "user_id"),
        soci::use(idempotency_key, "key"), soci::use(conversation_id, "conversation_id"),
        soci::use(turn.user_message.id, "user_message_id"),
        soci::use(turn.assistant_message.id, "assistant_message_id"), soci::use(at, "now");
  }
  return turn;
}

std::optional<turn_record> conversations_repository::find_turn_by_key(const std::string& user_id,
                                                                      const std::string& key,
                                                                      unix_ms since) {
  std::string conversation_id, user_message_id, assistant_message_id;
  long long after = since;
  sql_ << sql::select_idempotency_key, soci::use(user_id, "user_id"), soci::use(key, "key"),
      soci::use(after, "since"), soci::into(conversation_id), soci::into(user_message_id),
      soci::into(assistant_message_id);
  if (!sql_.got_data())
    return std::nullopt;
  auto user_message = find_message(user_id, user_message_id);
  auto assistant_message = find_message(user_id, assistant_message_id);
  if (!user_message || !assistant_message)
    return std::nullopt;
  return turn_record{
      conversation_id, std::move(*user_message), std::move(*assistant_message), {}, {}};
}

std::vector<context_message>
conversations_repository::unchained_messages(const std::string& conversation_id,
                                             std::size_t limit) {
  return context_messages(sql::select_unchained_messages, conversation_id, limit);
}

std::vector<context_message>
conversations_repository::recent_messages(const std::string& conversation_id, std::size_t limit) {
  return context_messages(sql::select_recent_messages, conversation_id, limit);
}

std::vector<context_message>
conversations_repository::context_messages(const char* query, const std::string& conversation_id,
                                           std::size_t limit) {
  std::string role, content;
  long long most = static_cast<long long>(limit);
  soci::statement st = (sql_.prepare << query, soci::use(conversation_id, "conversation_id"),
                        soci::use(most, "limit"), soci::into(role), soci::into(content));
  st.execute();
  std::vector<context_message> newest_first;
  while (st.fetch())
    newest_first.push_back({parse_role(role).value_or(message_role::user), content});
  return {newest_first.rbegin(), newest_first.rend()};
}

conversations_repository::conversations_repository(soci::session& sql) : sql_(sql) {}

conversations_repository::~conversations_repository() = default;

void conversations_repository::checkpoint(const std::string& message_id, const std::string& content,
                                          unix_ms now) {
  auto& p = statements();
  p.content = content;
  p.now = now;
  p.id = message_id;
  p.checkpoint.execute(true);
}

bool conversations_repository::finish(const std::string& message_id,
                                      const std::string& conversation_id,
                                      const std::string& content, message_status status,
                                      const std::string& provider_ref, unix_ms now,
                                      const std::string& ending) {
  auto& p = statements();
  p.ending = ending;
  p.id = message_id;
  p.conversation_id = conversation_id;
  p.content = content;
  p.status = to_string(status);
  p.now = now;
  if (affected(p.finish_message) == 0)
    return false;
  p.ref = provider_ref;
  if (!provider_ref.empty())
    p.set_provider_ref.execute(true);
  else
    p.touch_conversation.execute(true);
  return true;
}

conversations_repository::prepared& conversations_repository::statements() {
  if (!prepared_)
    prepared_ = std::make_unique<prepared>(sql_);
  return *prepared_;
}

void conversations_repository::insert_message(const message_record& m) {
  auto& p = statements();
  p.id = m.id;
  p.conversation_id = m.conversation_id;
  p.role = to_string(m.role);
  p.content = m.content;
  p.status = to_string(m.status);
  p.now = m.created_at;
  p.insert_message.execute(true);
}

long long conversations_repository::interrupt_streaming(unix_ms now) {
  long long at = now;
  soci::statement st = (sql_.prepare << sql::interrupt_streaming_messages, soci::use(at, "now"));
  return affected(st);
}

long long conversations_repository::purge_idempotency_keys(unix_ms since) {
  long long before = since;
  soci::statement st =
      (sql_.prepare << sql::delete_old_idempotency_keys, soci::use(before, "since"));
  return affected(st);
}

} // namespace chatd::storage
