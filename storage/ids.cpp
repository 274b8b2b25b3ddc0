#include "storage/ids.hpp"

#include <sodium.h>

namespace chatd::storage {

std::string new_id(char kind) {
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  static constexpr char hex[] = "0123456789abcdef";
  std::string id{kind, '_'};
  id.reserve(2 + 2 * sizeof bytes);
  for (unsigned char b : bytes) {
    id.push_back(hex[b >> 4]);
    id.push_back(hex[b & 0xF]);
  }
  return id;
}

} // namespace chatd::storage
