#include "tools/loadgen/chunked_decoder.hpp"

#include "tools/common/hex.hpp"

namespace chatd::loadgen {

using tools::hex_value;

void chunked_decoder::step(char c) {
  switch (state_) {
  case state::size: {
    const int v = hex_value(c);
    if (v >= 0) {
      // 15 hex digits is far more than any real chunk; more would overflow.
      if (++digits_ > 15)
        state_ = state::error;
      remaining_ = remaining_ * 16 + static_cast<std::uint64_t>(v);
    } else if (digits_ == 0) {
      state_ = state::error;
    } else if (c == ';' || c == ' ' || c == '\t') {
      state_ = state::extension;
    } else if (c == '\r') {
      state_ = state::size_lf;
    } else {
      state_ = state::error;
    }
    return;
  }
  case state::extension:
    if (c == '\r')
      state_ = state::size_lf;
    return;
  case state::size_lf:
    if (c != '\n') {
      state_ = state::error;
      return;
    }
    digits_ = 0;
    state_ = remaining_ == 0 ? state::trailer : state::data;
    return;
  case state::data_cr:
    state_ = c == '\r' ? state::data_lf : state::error;
    return;
  case state::data_lf:
    state_ = c == '\n' ? state::size : state::error;
    return;
  case state::trailer:
    state_ = c == '\r' ? state::final_lf : state::trailer_line;
    return;
  case state::trailer_line:
    if (c == '\r')
      state_ = state::trailer_lf;
    return;
  case state::trailer_lf:
    state_ = c == '\n' ? state::trailer : state::error;
    return;
  case state::final_lf:
    state_ = c == '\n' ? state::done : state::error;
    return;
  case state::data:
  case state::done:
  case state::error:
    return;
  }
}

} // namespace chatd::loadgen
