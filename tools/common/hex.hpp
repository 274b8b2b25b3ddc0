#pragma once

// Shared by the tools (the mock provider, the load generator). Deliberately not domain/'s: the
// tools stand in for the provider and the client, so they do not reuse the code they test.

namespace chatd::tools {

/// The value of one hexadecimal digit, or -1 if `c` is not one.
constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

} // namespace chatd::tools
