#include "tools/mock_provider/conversation_store.hpp"

#include "tools/mock_provider/ids.hpp"

namespace chatd::mock {

turn_ptr extend(turn_ptr parent, std::string text) {
  auto t = std::make_shared<turn>();
  t->user_text = std::move(text);
  if (parent) {
    t->depth = parent->depth + 1;
    t->root = parent->root ? parent->root : parent.get();
  }
  t->parent = std::move(parent);
  return t;
}

std::string conversation_store::create_conversation() {
  auto id = random_id("conv_");
  std::lock_guard lock{mutex_};
  insert_bounded(conversations_, conversation_order_, id, nullptr);
  return id;
}

std::optional<turn_ptr> conversation_store::find_response(const std::string& id) const {
  std::lock_guard lock{mutex_};
  if (auto it = responses_.find(id); it != responses_.end())
    return it->second;
  return std::nullopt;
}

std::optional<turn_ptr> conversation_store::find_conversation(const std::string& id) const {
  std::lock_guard lock{mutex_};
  if (auto it = conversations_.find(id); it != conversations_.end())
    return it->second;
  return std::nullopt;
}

void conversation_store::remember_response(const std::string& id, turn_ptr last) {
  std::lock_guard lock{mutex_};
  insert_bounded(responses_, response_order_, id, std::move(last));
}

void conversation_store::advance_conversation(const std::string& id, turn_ptr last) {
  std::lock_guard lock{mutex_};
  // A conversation forgotten meanwhile stays forgotten: the next request gets a 404, as it would.
  if (auto it = conversations_.find(id); it != conversations_.end())
    it->second = std::move(last);
}

void conversation_store::insert_bounded(table& t, std::deque<std::string>& order,
                                        const std::string& id, turn_ptr value) {
  if (t.insert_or_assign(id, std::move(value)).second)
    order.push_back(id);
  while (order.size() > max_entries_) {
    t.erase(order.front());
    order.pop_front();
  }
}

} // namespace chatd::mock
