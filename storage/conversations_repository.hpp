#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/records.hpp"

namespace soci {
class session;
}

namespace chatd::storage {

/// Conversations, their messages and the turns that add them. Blocking; call only from a
/// storage actor's own thread. Every query that a client can reach is scoped by `user_id`.
class conversations_repository {
public:
  explicit conversations_repository(soci::session& sql);
  ~conversations_repository();

  domain::conversation_record create(const std::string& user_id, const std::string& title,
                                     domain::unix_ms now);
  /// Stores a conversation whose id was chosen already (a new conversation's first turn).
  void insert(const domain::conversation_record& c);
  std::optional<domain::conversation_record> find(const std::string& user_id,
                                                  const std::string& id);
  /// By id alone, whoever owns it: for conversation actors, which check owners themselves.
  std::optional<domain::conversation_record> find_any(const std::string& id);
  std::vector<domain::conversation_record> list(const std::string& user_id);
  std::optional<domain::conversation_record> rename(const std::string& user_id,
                                                    const std::string& id, const std::string& title,
                                                    domain::unix_ms now);
  /// False when there was no such conversation of this user.
  bool remove(const std::string& user_id, const std::string& id);

  std::vector<domain::message_record> messages(const std::string& conversation_id);
  std::optional<domain::message_record> find_message(const std::string& user_id,
                                                     const std::string& message_id);

  /// A message by id alone, with the id of the user who owns its conversation (admin use).
  std::optional<std::pair<domain::message_record, std::string>>
  find_message_with_owner(const std::string& message_id);

  /// Stores the user's message and an empty `streaming` answer, and remembers the
  /// idempotency key when there is one; the turn carries the messages since the last complete
  /// answer (none for a `new_conversation`). The caller wraps it in a transaction.
  domain::turn_record begin_turn(const std::string& user_id, const std::string& conversation_id,
                                 const std::string& text, const std::string& idempotency_key,
                                 domain::unix_ms now, bool new_conversation = false,
                                 bool chained = false);
  /// The messages after the last complete answer, oldest first (at most `limit`, the newest;
  /// answers with no text left out).
  std::vector<domain::context_message> unchained_messages(const std::string& conversation_id,
                                                          std::size_t limit);
  /// The newest messages, oldest first (at most `limit`; answers with no text left out).
  std::vector<domain::context_message> recent_messages(const std::string& conversation_id,
                                                       std::size_t limit);
  /// The turn an idempotency key started after `since`.
  std::optional<domain::turn_record>
  find_turn_by_key(const std::string& user_id, const std::string& key, domain::unix_ms since);
  /// Saves a growing answer; a message that already finished is left alone.
  void checkpoint(const std::string& message_id, const std::string& content, domain::unix_ms now);
  /// Stores the final text and status of an answer (once: false if it had finished already)
  /// and, when given, the provider's new conversation reference.
  bool finish(const std::string& message_id, const std::string& conversation_id,
              const std::string& content, domain::message_status status,
              const std::string& provider_ref, domain::unix_ms now, const std::string& ending = {});
  /// At start-up: answers a crash left `streaming` become `interrupted`. Returns how many.
  long long interrupt_streaming(domain::unix_ms now);
  long long purge_idempotency_keys(domain::unix_ms since);

private:
  std::vector<domain::context_message>
  context_messages(const char* query, const std::string& conversation_id, std::size_t limit);
  soci::session& sql_;
  /// The statements of every turn (and of every checkpoint: one per live answer per interval)
  /// are prepared once, on first use.
  struct prepared;
  prepared& statements();
  void insert_message(const domain::message_record& m);
  std::unique_ptr<prepared> prepared_;
};

} // namespace chatd::storage
