#include "actors/errors.hpp"

#include <caf/atom.hpp>
#include <caf/message.hpp>
#include <caf/sec.hpp>

namespace chatd::actors {

namespace {

constexpr caf::atom_value category = caf::atom("chatd");

} // namespace

caf::error to_caf_error(domain::error_code code, std::string message, std::int64_t retry_after_s) {
  return caf::error(static_cast<std::uint8_t>(code), category,
                    caf::make_message(std::move(message), retry_after_s));
}

caf::error not_found_error(const std::string& what) {
  return to_caf_error(domain::error_code::not_found, what + " does not exist");
}

domain::api_error to_api_error(const caf::error& err) {
  if (err.category() == category) {
    domain::api_error out{static_cast<domain::error_code>(err.code()), ""};
    const auto& ctx = err.context();
    if (ctx.match_elements<std::string, std::int64_t>())
      out.message = ctx.get_as<std::string>(0);
    return out;
  }
  if (err == caf::sec::request_timeout)
    return {domain::error_code::internal_error, "the service did not answer in time"};
  return {domain::error_code::internal_error, "the service could not handle the request"};
}

bool is_chatd_error(const caf::error& err) {
  return err.category() == category;
}

std::int64_t retry_after_of(const caf::error& err) {
  if (err.category() != category)
    return 0;
  const auto& ctx = err.context();
  return ctx.match_elements<std::string, std::int64_t>() ? ctx.get_as<std::int64_t>(1) : 0;
}

} // namespace chatd::actors
