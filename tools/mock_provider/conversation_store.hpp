#pragma once
// What the mock remembers so that a later request can prove its context was carried: for every
// response id and every conversation id, the chain of user texts that led to it.

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace chatd::mock {

/// One user text in a chain; chains share their common beginning, so a response costs one node.
struct turn {
  std::string user_text;
  mutable std::shared_ptr<const turn> parent; ///< Mutable only so the destructor can unlink.
  std::size_t depth = 1;                      ///< 1 for the first user text of a chain.
  const turn* root = nullptr; ///< The first turn (kept alive through `parent`); null for itself.

  const std::string& first_text() const { return root ? root->user_text : user_text; }

  turn() = default;
  turn(const turn&) = delete;
  turn& operator=(const turn&) = delete;
  // Unlinks iteratively: freeing a long chain recursively would overflow the stack.
  ~turn() {
    auto next = std::move(parent);
    while (next && next.use_count() == 1)
      next = std::move(next->parent);
  }
};
using turn_ptr = std::shared_ptr<const turn>;

/// The chain `parent` (may be null) followed by `text`.
turn_ptr extend(turn_ptr parent, std::string text);

/// Thread-safe map of response and conversation ids to their chains. Bounded: past
/// `max_entries` ids of a kind the oldest are forgotten, so a long benchmark cannot eat memory.
class conversation_store {
public:
  explicit conversation_store(std::size_t max_entries = 200'000) : max_entries_(max_entries) {}

  /// A new, empty conversation; returns its id `conv_<hex>`.
  std::string create_conversation();

  /// nullopt for an unknown id; otherwise the chain (null for a conversation with no turn yet).
  std::optional<turn_ptr> find_response(const std::string& id) const;
  std::optional<turn_ptr> find_conversation(const std::string& id) const;

  void remember_response(const std::string& id, turn_ptr last);
  /// Moves a conversation on to `last` once a response in it has been produced.
  void advance_conversation(const std::string& id, turn_ptr last);

private:
  using table = std::unordered_map<std::string, turn_ptr>;
  void insert_bounded(table& t, std::deque<std::string>& order, const std::string& id,
                      turn_ptr value);

  std::size_t max_entries_;
  mutable std::mutex mutex_;
  table responses_;
  std::deque<std::string> response_order_;
  table conversations_;
  std::deque<std::string> conversation_order_;
};

} // namespace chatd::mock
