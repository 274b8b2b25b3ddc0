#pragma once
// Incremental Server-Sent Events reader, reduced to what a load generator needs: the `data`
// of every event (lines joined by '\n'), its `event` name, and a count of comment lines.
//
// Lines end in LF or CRLF (the servers we measure send no bare CR). A line that arrives whole
// inside one read is handled in place; only a line split between reads is copied.

#include <cstddef>
#include <string>
#include <string_view>

namespace chatd::loadgen {

class sse_reader {
public:
  /// @param max_line a longer line breaks the stream (a runaway server must not eat memory).
  explicit sse_reader(std::size_t max_line = 1 << 20) : max_line_(max_line) {}

  /// Consumes `bytes`; calls `on_event(std::string_view event, std::string_view data)` for every
  /// event completed by a blank line. @returns false once the stream is broken.
  template<class OnEvent> bool feed(std::string_view bytes, OnEvent&& on_event) {
    while (!broken_ && !bytes.empty()) {
      const auto lf = bytes.find('\n');
      if (lf == std::string_view::npos) {
        partial_.append(bytes);
        broken_ = partial_.size() > max_line_;
        return !broken_;
      }
      if (partial_.empty()) {
        line(bytes.substr(0, lf), on_event);
      } else {
        partial_.append(bytes.substr(0, lf));
        broken_ = partial_.size() > max_line_;
        if (!broken_) {
          // on_line may not keep views into partial_, so it is cleared only afterwards.
          line(partial_, on_event);
        }
        partial_.clear();
      }
      bytes.remove_prefix(lf + 1);
    }
    return !broken_;
  }

  std::size_t comments() const { return comments_; }
  bool broken() const { return broken_; }

private:
  template<class OnEvent> void line(std::string_view l, OnEvent& on_event) {
    if (!l.empty() && l.back() == '\r')
      l.remove_suffix(1);
    if (l.empty()) {
      if (has_data_)
        on_event(std::string_view(event_), std::string_view(data_));
      event_.clear();
      data_.clear();
      has_data_ = false;
      return;
    }
    if (l.front() == ':') {
      ++comments_;
      return;
    }
    const auto colon = l.find(':');
    const auto name = l.substr(0, colon);
    auto value = colon == std::string_view::npos ? std::string_view() : l.substr(colon + 1);
    if (!value.empty() && value.front() == ' ')
      value.remove_prefix(1);
    if (name == "data") {
      if (has_data_)
        data_.push_back('\n');
      data_.append(value);
      has_data_ = true;
    } else if (name == "event") {
      event_.assign(value);
    }
  }

  std::string partial_; ///< a line split between two reads
  std::string event_;
  std::string data_;
  bool has_data_ = false;
  bool broken_ = false;
  std::size_t comments_ = 0;
  std::size_t max_line_;
};

} // namespace chatd::loadgen
