#pragma once

#include <string>

namespace chatd::storage {

/// A fresh opaque id such as `c_3f9a…`: a one-letter kind, then 128 random bits in hex.
std::string new_id(char kind);

} // namespace chatd::storage
