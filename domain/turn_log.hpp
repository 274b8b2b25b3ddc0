#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/stream_event.hpp"

namespace chatd::domain {

/// The events of one answer, kept so that a subscriber can join at any point and hear every
/// event after the last one it saw. Compact on purpose: the text once, plus where each chunk
/// ends; frames are rebuilt on demand for the rare replay.
///
/// Event ids: `start` is 1, chunk k is k + 1, the terminal event follows the last chunk.
class turn_log {
public:
  explicit turn_log(start_event start) : start_(std::move(start)) {}

  /// Records a delta; returns its encoded `content` frame.
  std::string append(std::string_view delta);

  /// Records the terminal event (`complete` or `error`); returns its encoded frame.
  std::string finish(stream_event terminal);

  const start_event& start() const { return start_; }
  const std::string& text() const { return text_; }
  std::uint64_t chunks() const { return chunk_ends_.size(); }
  std::uint64_t total_chars() const { return total_chars_; }
  bool finished() const { return terminal_.has_value(); }
  /// The id of the newest event.
  std::uint64_t last_id() const { return 1 + chunks() + (finished() ? 1 : 0); }

  /// An encoded frame and its event id.
  struct frame {
    std::uint64_t id;
    std::string bytes;
  };

  /// Every frame with an id above `after`, in order, ready to write.
  std::vector<frame> frames_after(std::uint64_t after) const;

private:
  start_event start_;
  std::string text_;
  std::vector<std::uint32_t> chunk_ends_; ///< byte offset in text_ where each chunk ends
  std::uint64_t total_chars_ = 0;
  std::optional<stream_event> terminal_;
};

/// The event that stands for a finished answer rebuilt from the database: `complete` for a
/// complete or stopped answer, `error` for a failed or interrupted one.
stream_event terminal_event_of(const message_record& message);

} // namespace chatd::domain
