#include "domain/json_scanner.hpp"

namespace chatd::domain {

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

} // namespace

void json_scanner::skip_ws() {
  while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
    ++i_;
}

bool json_scanner::eat(char c) {
  skip_ws();
  if (i_ < s_.size() && s_[i_] == c) {
    ++i_;
    return true;
  }
  return false;
}

bool json_scanner::peek(char c) {
  skip_ws();
  return i_ < s_.size() && s_[i_] == c;
}

bool json_scanner::at_end() {
  skip_ws();
  return i_ == s_.size();
}

bool json_scanner::string(std::string* out) {
  if (!eat('"'))
    return false;
  while (i_ < s_.size()) {
    auto run_start = i_;
    while (i_ < s_.size() && s_[i_] != '"' && s_[i_] != '\\' &&
           static_cast<unsigned char>(s_[i_]) >= 0x20)
      ++i_;
    if (out)
      out->append(s_.data() + run_start, i_ - run_start);
    if (i_ == s_.size() || static_cast<unsigned char>(s_[i_]) < 0x20)
      return false;
    if (s_[i_] == '"') {
      ++i_;
      return true;
    }
    if (!escape(out))
      return false;
  }
  return false;
}

bool json_scanner::skip_value(int depth) {
  skip_ws();
  if (i_ >= s_.size())
    return false;
  char c = s_[i_];
  if (c == '"')
    return string(nullptr);
  if (c == '{' || c == '[') {
    if (depth >= max_depth)
      return false;
    if (c == '{')
      return members([&](const std::string&) { return skip_value(depth + 1); });
    return elements([&] { return skip_value(depth + 1); });
  }
  for (std::string_view literal : {"true", "false", "null"})
    if (s_.substr(i_, literal.size()) == literal) {
      i_ += literal.size();
      return true;
    }
  return number();
}

bool json_scanner::digits() {
  auto start = i_;
  while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9')
    ++i_;
  return i_ > start;
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, and small enough to be finite as a double:
/// a full parse rejects a number that overflows (`1e999`). Rather than convert, this declines
/// every number that might: over 200 integer digits, or an exponent of three digits or more.
bool json_scanner::number() {
  if (i_ < s_.size() && s_[i_] == '-')
    ++i_;
  auto integer_start = i_;
  if (i_ < s_.size() && s_[i_] == '0')
    ++i_;
  else if (!digits())
    return false;
  if (i_ - integer_start > 200)
    return false;
  if (i_ < s_.size() && s_[i_] == '.') {
    ++i_;
    if (!digits())
      return false;
  }
  if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
    ++i_;
    if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-'))
      ++i_;
    auto exponent_start = i_;
    if (!digits() || i_ - exponent_start > 2)
      return false;
  }
  return true;
}

bool json_scanner::code_unit(unsigned& out) {
  if (i_ + 4 > s_.size())
    return false;
  out = 0;
  for (int k = 0; k < 4; ++k) {
    int h = hex(s_[i_ + static_cast<std::size_t>(k)]);
    if (h < 0)
      return false;
    out = out * 16 + static_cast<unsigned>(h);
  }
  i_ += 4;
  return true;
}

/// An escape sequence (at the backslash).
bool json_scanner::escape(std::string* out) {
  if (++i_ >= s_.size())
    return false;
  char c = s_[i_++];
  char plain = 0;
  switch (c) {
  case '"':
    plain = '"';
    break;
  case '\\':
    plain = '\\';
    break;
  case '/':
    plain = '/';
    break;
  case 'b':
    plain = '\b';
    break;
  case 'f':
    plain = '\f';
    break;
  case 'n':
    plain = '\n';
    break;
  case 'r':
    plain = '\r';
    break;
  case 't':
    plain = '\t';
    break;
  case 'u': {
    unsigned cp;
    if (!code_unit(cp))
      return false;
    if (cp >= 0xD800 && cp <= 0xDBFF) { // a high surrogate needs its low half
      unsigned low;
      if (i_ + 2 > s_.size() || s_[i_] != '\\' || s_[i_ + 1] != 'u')
        return false;
      i_ += 2;
      if (!code_unit(low) || low < 0xDC00 || low > 0xDFFF)
        return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return false;
    }
    if (out)
      append_utf8(*out, cp);
    return true;
  }
  default:
    return false;
  }
  if (out)
    out->push_back(plain);
  return true;
}

} // namespace chatd::domain
