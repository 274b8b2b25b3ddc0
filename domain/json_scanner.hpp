#pragma once

#include <string>
#include <string_view>

namespace chatd::domain {

/// A cursor over JSON text for readers that want a few fields of a large event without building
/// a document. Every step reports failure instead of throwing; a reader that meets anything it
/// did not expect gives up and leaves the event to the full parser.
///
/// It checks JSON's grammar, escapes and surrogates, but not the UTF-8 of raw bytes: callers
/// check the whole text once with `is_valid_utf8`, as a full parse would reject it.
class json_scanner {
public:
  explicit json_scanner(std::string_view text) : s_(text) {}

  void skip_ws();
  bool eat(char c);
  bool peek(char c);
  bool at_end();

  /// A string, unescaped into `out` (or only checked when `out` is null).
  bool string(std::string* out);

  /// Any value, checked and skipped. Nesting deeper than `max_depth` counts as failure: the full
  /// parser then decides, and a hostile provider cannot make this recurse without bound.
  bool skip_value(int depth = 0);

  /// An object's members: `on_member(key)` is called with the cursor at each value and must
  /// consume it, returning false to give up.
  template<class OnMember> bool members(OnMember&& on_member) {
    if (!eat('{'))
      return false;
    if (eat('}'))
      return true;
    std::string key;
    do {
      key.clear();
      if (!string(&key) || !eat(':') || !on_member(key))
        return false;
    } while (eat(','));
    return eat('}');
  }

  /// An array's elements: `on_element()` is called at each one and must consume it.
  template<class OnElement> bool elements(OnElement&& on_element) {
    if (!eat('['))
      return false;
    if (eat(']'))
      return true;
    do {
      if (!on_element())
        return false;
    } while (eat(','));
    return eat(']');
  }

  static constexpr int max_depth = 64;

private:
  bool digits();
  bool number();
  bool code_unit(unsigned& out);
  bool escape(std::string* out);

  std::string_view s_;
  std::size_t i_ = 0;
};

} // namespace chatd::domain
