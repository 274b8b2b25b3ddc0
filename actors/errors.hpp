#pragma once

#include <cstdint>
#include <string>

#include <caf/error.hpp>

#include "domain/error.hpp"

namespace chatd::actors {

/// A domain error as a CAF error (category `chatd`), so that it can travel as the answer to a
/// request. `retry_after_s` > 0 carries a Retry-After hint along.
caf::error to_caf_error(domain::error_code code, std::string message,
                        std::int64_t retry_after_s = 0);

/// `not_found`, for a thing named by `what` ("this conversation").
caf::error not_found_error(const std::string& what);

/// The domain error inside `err`; CAF's own errors (an actor that died, a timeout) become
/// `internal_error`.
domain::api_error to_api_error(const caf::error& err);

/// Whether `err` was made by to_caf_error (rather than by CAF itself).
bool is_chatd_error(const caf::error& err);

/// The Retry-After hint of a `to_caf_error`, 0 when none.
std::int64_t retry_after_of(const caf::error& err);

} // namespace chatd::actors
