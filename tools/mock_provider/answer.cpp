#include "tools/mock_provider/answer.hpp"

#include "tools/mock_provider/utf8.hpp"

#include <ctime>

namespace chatd::mock {

std::string echo_answer(std::string_view user_text, std::size_t turn, std::string_view first_text) {
  std::string out;
  out.reserve(user_text.size() + first_text.size() + 48);
  out.append("Echo: ").append(user_text);
  out.append(" (turn ").append(std::to_string(turn));
  out.append("; first message: \"").append(first_text).append("\")");
  return out;
}

std::vector<std::string> split_after_spaces(std::string_view text) {
  std::vector<std::string> pieces;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ' ') {
      pieces.emplace_back(text.substr(start, i + 1 - start));
      start = i + 1;
    }
  }
  if (start < text.size())
    pieces.emplace_back(text.substr(start));
  return pieces;
}

std::vector<std::string> split_into(std::string_view text, std::size_t n) {
  std::vector<std::string> pieces;
  if (n == 0)
    return pieces;
  std::string source(text.empty() ? std::string_view(".") : text);
  std::size_t chars = utf8::count_code_points(source);
  while (chars < n) {
    source.append(" ").append(text.empty() ? std::string_view(".") : text);
    chars = utf8::count_code_points(source);
  }
  // Byte offset where each character starts, plus the end.
  std::vector<std::size_t> starts;
  starts.reserve(chars + 1);
  for (std::size_t i = 0; i < source.size(); ++i)
    if (!utf8::is_continuation(static_cast<unsigned char>(source[i])))
      starts.push_back(i);
  starts.push_back(source.size());
  pieces.reserve(n);
  for (std::size_t j = 0; j < n; ++j) {
    const auto from = starts[j * chars / n];
    const auto to = starts[(j + 1) * chars / n];
    pieces.push_back(source.substr(from, to - from));
  }
  return pieces;
}

std::uint64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u +
         static_cast<std::uint64_t>(ts.tv_nsec);
}

std::string stamped_delta(std::uint64_t ns, std::size_t index,
                          std::optional<std::uint64_t> received_ns) {
  static constexpr std::string_view words[] = {"lorem", "ipsum", "dolor", "sit",
                                               "amet",  "sed",   "do",    "eiusmod"};
  std::string out;
  out.reserve(32);
  out.append("@").append(std::to_string(ns)).append(";");
  if (received_ns)
    out.append("r").append(std::to_string(*received_ns)).append(";");
  out.append(words[index % std::size(words)]).append(" ");
  return out;
}

std::size_t approx_tokens(std::string_view text) {
  return (utf8::count_code_points(text) + 3) / 4;
}

} // namespace chatd::mock
