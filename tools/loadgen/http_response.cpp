#include "tools/loadgen/http_response.hpp"

#include <cctype>

namespace chatd::loadgen {

namespace {

// A head this large is not an answer from any of the servers we measure.
constexpr std::size_t max_head_bytes = 64 * 1024;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool contains_token(std::string_view list, std::string_view token) {
  // Transfer-Encoding is a comma list; `chunked` must be the last coding, but any mention is
  // enough for the servers we talk to.
  return lower(list).find(token) != std::string::npos;
}

} // namespace

std::optional<std::string_view> response_head::field(std::string_view name) const {
  for (const auto& [n, v] : fields)
    if (n == name)
      return std::string_view(v);
  return std::nullopt;
}

std::optional<response_head> parse_response_head(std::string_view head) {
  response_head out;
  auto next_line = [&head]() -> std::optional<std::string_view> {
    const auto lf = head.find('\n');
    if (lf == std::string_view::npos)
      return std::nullopt;
    auto line = head.substr(0, lf);
    head.remove_prefix(lf + 1);
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    return line;
  };
  const auto status_line = next_line();
  // "HTTP/1.1 200 OK": the code is the three digits after the first blank.
  if (!status_line || status_line->substr(0, 5) != "HTTP/")
    return std::nullopt;
  const auto blank = status_line->find(' ');
  if (blank == std::string_view::npos || status_line->size() < blank + 4)
    return std::nullopt;
  int code = 0;
  for (std::size_t i = blank + 1; i < blank + 4; ++i) {
    const char c = (*status_line)[i];
    if (c < '0' || c > '9')
      return std::nullopt;
    code = code * 10 + (c - '0');
  }
  out.status = code;
  while (auto line = next_line()) {
    if (line->empty())
      return out;
    const auto colon = line->find(':');
    if (colon == std::string_view::npos || colon == 0)
      return std::nullopt;
    auto name = lower(line->substr(0, colon));
    const auto value = trim(line->substr(colon + 1));
    if (name == "transfer-encoding" && contains_token(value, "chunked"))
      out.chunked = true;
    if (name == "content-length") {
      std::uint64_t n = 0;
      if (value.empty() || value.size() > 18)
        return std::nullopt;
      for (char c : value) {
        if (c < '0' || c > '9')
          return std::nullopt;
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
      }
      out.content_length = n;
    }
    out.fields.emplace_back(std::move(name), std::string(value));
  }
  return std::nullopt; // no blank line: not a complete head
}

std::size_t http_response_reader::take_head(std::string_view in) {
  // The head ends at the first empty line; it may be split anywhere between two reads, so
  // search again from a little before the new bytes.
  const auto old_size = head_bytes_.size();
  head_bytes_.append(in);
  const auto from = old_size >= 3 ? old_size - 3 : 0;
  const auto end = head_bytes_.find("\r\n\r\n", from);
  if (end == std::string::npos) {
    if (head_bytes_.size() > max_head_bytes)
      failed_ = true;
    return in.size();
  }
  const auto head_size = end + 4;
  head_ = parse_response_head(std::string_view(head_bytes_).substr(0, head_size));
  if (!head_) {
    failed_ = true;
    return in.size();
  }
  if (head_->content_length) {
    remaining_ = *head_->content_length;
    done_ = remaining_ == 0 && !head_->chunked;
  }
  // Responses that never have a body (1xx, 204, 304) are not expected here.
  head_bytes_.clear();
  head_bytes_.shrink_to_fit();
  return head_size - old_size;
}

} // namespace chatd::loadgen
