#pragma once

#include <string_view>
#include <vector>

#include "domain/provider_event.hpp"
#include "domain/sse_parser.hpp"

namespace chatd::domain {

/// Decodes the byte stream of a streaming `POST /responses` into provider events.
/// Feed bytes as they arrive, in pieces of any size. Event types it does not know are
/// skipped, so new provider events never break a stream.
class responses_event_decoder {
public:
  /// Appends the events completed by `bytes` to `out`. A malformed payload yields a
  /// `provider_failed` with code `bad_event`; the caller decides what happens next.
  void feed(std::string_view bytes, std::vector<provider_event>& out);

private:
  sse_parser parser_;
  std::vector<sse_message> messages_; ///< reused between calls to avoid allocations
  bool reported_broken_ = false;
};

/// Decodes one event of the stream: by the fast readers (`responses_fast_path`) when they can,
/// else by a full parse.
void decode_event(const sse_message& msg, std::vector<provider_event>& out);

/// Decodes one event by a full JSON parse: the reference that `decode_event` agrees with.
void decode_event_by_full_parse(const sse_message& msg, std::vector<provider_event>& out);

/// Reads the text of a non-streaming response object (`output[].content[]` parts of type
/// `output_text`, concatenated), or the failure it reports.
provider_event decode_response_object(std::string_view body);

/// Whether an error body says the provider no longer holds the `previous_response_id` it was
/// sent (OpenAI: `previous_response_not_found`; stored responses expire, keys and providers
/// change).
bool is_lost_chain_error(std::string_view body);

/// The message of an error body such as `{"error":{"message":...}}`, or a short excerpt of it.
std::string describe_error_body(std::string_view body);

} // namespace chatd::domain
