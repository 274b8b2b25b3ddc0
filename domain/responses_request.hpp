#pragma once

#include <string>
#include <vector>

#include "domain/records.hpp"

namespace chatd::domain {

/// One call to the provider's `POST /responses`.
struct responses_request {
  std::string model;
  std::string input;
  /// Carries the conversation's context on the provider's side; empty for a first turn.
  std::string previous_response_id;
  bool stream = true;
  /// Messages to put before `input`: those the chain of `previous_response_id` lacks.
  std::vector<context_message> context;
};

/// The JSON body of the call.
std::string encode_responses_request(const responses_request& req);

} // namespace chatd::domain
