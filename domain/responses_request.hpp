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
  /// Not sent: the conversation's history, which replaces the chain and `context` if the
  /// provider no longer holds `previous_response_id` (see `is_lost_chain_error`).
  std::vector<context_message> history;
};

/// The JSON body of the call.
std::string encode_responses_request(const responses_request& req);

} // namespace chatd::domain
