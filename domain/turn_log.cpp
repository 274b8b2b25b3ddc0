#include "domain/turn_log.hpp"

#include "domain/sse_encoder.hpp"
#include "domain/stored_ending.hpp"
#include "domain/utf8.hpp"

namespace chatd::domain {

std::string turn_log::append(std::string_view delta) {
  text_.append(delta);
  chunk_ends_.push_back(static_cast<std::uint32_t>(text_.size()));
  total_chars_ += count_code_points(delta);
  return encode_content_sse(1 + chunk_ends_.size(), delta, chunk_ends_.size(), total_chars_);
}

std::string turn_log::finish(stream_event terminal) {
  terminal_ = std::move(terminal);
  return encode_sse(last_id(), *terminal_);
}

std::vector<turn_log::frame> turn_log::frames_after(std::uint64_t after) const {
  std::vector<frame> out;
  if (after < 1)
    out.push_back({1, encode_sse(1, start_)});
  std::uint64_t chars = 0;
  std::uint32_t begin = 0;
  for (std::size_t k = 0; k < chunk_ends_.size(); ++k) {
    std::string_view delta(text_.data() + begin, chunk_ends_[k] - begin);
    chars += count_code_points(delta);
    const std::uint64_t id = k + 2;
    if (id > after)
      out.push_back({id, encode_content_sse(id, delta, k + 1, chars)});
    begin = chunk_ends_[k];
  }
  if (terminal_ && last_id() > after)
    out.push_back({last_id(), encode_sse(last_id(), *terminal_)});
  return out;
}

stream_event terminal_event_of(const message_record& message) {
  switch (message.status) {
  case message_status::complete:
  case message_status::stopped: {
    complete_event ev;
    ev.final_content = message.content;
    ev.message_id = message.id;
    ev.status = message.status;
    ev.stored_in_db = true;
    if (auto stats = decode_stored_stats(message.ending))
      ev.stats = *stats;
    ev.stats.total_chars = count_code_points(message.content);
    return ev;
  }
  case message_status::failed:
    if (auto stored = decode_stored_error(message.ending))
      return *stored;
    return error_event{
        {error_code::upstream_error, "the answer could not be completed"}, true, true};
  case message_status::interrupted:
    if (auto stored = decode_stored_error(message.ending))
      return *stored;
    break;
  case message_status::streaming:
    break;
  }
  return error_event{
      {error_code::shutting_down, "the answer was interrupted by a restart"}, true, true};
}

} // namespace chatd::domain
