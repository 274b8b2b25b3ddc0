#include "domain/sse_parser.hpp"

#include <cstring>

namespace chatd::domain {

namespace {

/// The first CR or LF at or after `from`. Two `memchr` scans (LF, then CR before it) run many
/// bytes at a time; a byte loop, or `find_first_of` (a `memchr` over the two-character set for
/// every byte), cost more than the rest of the relay's parsing for the long events that close
/// an answer.
std::size_t find_line_end(std::string_view bytes, std::size_t from) {
  const char* begin = bytes.data() + from;
  std::size_t n = bytes.size() - from;
  const auto* lf = static_cast<const char*>(std::memchr(begin, '\n', n));
  std::size_t before_lf = lf ? static_cast<std::size_t>(lf - begin) : n;
  if (const auto* cr = static_cast<const char*>(std::memchr(begin, '\r', before_lf)))
    return from + static_cast<std::size_t>(cr - begin);
  return lf ? from + before_lf : std::string_view::npos;
}

} // namespace

bool sse_parser::feed(std::string_view bytes, std::vector<sse_message>& out) {
  if (broken_)
    return false;
  if (bytes.empty())
    return true; // keeps a pending CR waiting for its LF
  std::size_t i = 0;
  if (last_was_cr_ && !bytes.empty() && bytes.front() == '\n')
    i = 1; // the LF of a CRLF split across two reads
  last_was_cr_ = false;
  while (i < bytes.size()) {
    const auto end = find_line_end(bytes, i);
    if (end == std::string_view::npos) {
      line_.append(bytes.substr(i));
      if (line_.size() > max_line_) {
        broken_ = true;
        return false;
      }
      break;
    }
    if (line_.size() + (end - i) > max_line_) {
      broken_ = true;
      return false;
    }
    if (line_.empty()) {
      on_line(bytes.substr(i, end - i), out);
    } else {
      line_.append(bytes.substr(i, end - i));
      on_line(line_, out);
      line_.clear();
    }
    i = end + 1;
    if (bytes[end] == '\r') {
      if (i < bytes.size() && bytes[i] == '\n')
        ++i;
      else if (i == bytes.size())
        last_was_cr_ = true;
    }
  }
  return true;
}

void sse_parser::on_line(std::string_view line, std::vector<sse_message>& out) {
  if (line.empty()) {
    if (has_data_) {
      out.push_back(std::move(pending_));
    }
    pending_ = sse_message{};
    has_data_ = false;
    return;
  }
  if (line.front() == ':')
    return;
  auto colon = line.find(':');
  std::string_view field = line.substr(0, colon);
  std::string_view value;
  if (colon != std::string_view::npos) {
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ')
      value.remove_prefix(1);
  }
  if (field == "data") {
    if (has_data_)
      pending_.data.push_back('\n');
    pending_.data.append(value);
    has_data_ = true;
  } else if (field == "event") {
    pending_.event.assign(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos)
      pending_.id.assign(value);
  }
}

} // namespace chatd::domain
