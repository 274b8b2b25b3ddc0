#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string_view>
#include <vector>

namespace chatd::fuzz {

/// A fuzz input for the incremental parsers: a header that chooses how the payload is cut into
/// pieces, then the payload. Keeping the cut in the input lets libFuzzer mutate it apart from
/// the bytes, and makes every finding reproduce exactly.
///
///   byte 0          low 3 bits: k, the number of size bytes that follow (other bits: free
///                   for a target's own use)
///   bytes 1..k      piece sizes, used in turn; 0 feeds an empty piece
///   the rest        the payload
///
/// k = 0 (or all sizes 0) feeds one byte at a time, the hardest cut; seed files start with
/// '0' for that, so they stay readable text.
struct split_input {
  unsigned char header = 0;
  std::vector<std::size_t> sizes;
  std::string_view payload;
};

inline split_input read_split_input(const std::uint8_t* data, std::size_t size) {
  split_input in;
  if (size > 0) {
    in.header = data[0];
    const std::size_t k = std::min<std::size_t>(data[0] & 7u, size - 1);
    in.sizes.assign(data + 1, data + 1 + k);
    in.payload = std::string_view(reinterpret_cast<const char*>(data) + 1 + k, size - 1 - k);
  }
  if (std::accumulate(in.sizes.begin(), in.sizes.end(), std::size_t{0}) == 0)
    in.sizes = {1};
  return in;
}

/// Calls `feed` with consecutive pieces of `payload` of the given sizes (cycled), then once
/// more with an empty piece: an empty read must change nothing.
template<class Feed>
void feed_in_pieces(std::string_view payload, const std::vector<std::size_t>& sizes, Feed&& feed) {
  std::size_t pos = 0;
  for (std::size_t n = 0; pos < payload.size(); ++n) {
    const std::size_t len = std::min(sizes[n % sizes.size()], payload.size() - pos);
    feed(payload.substr(pos, len));
    pos += len;
  }
  feed(std::string_view{});
}

} // namespace chatd::fuzz
