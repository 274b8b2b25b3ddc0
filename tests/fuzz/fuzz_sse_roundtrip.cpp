// Stream events built from the input, encoded as chatd sends them, parsed back by a plain
// SSE reader fed in input-chosen pieces: each frame is one message with the event's id, its
// data is exactly encode_event_json's text, and that JSON holds the event's fields.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>
#include <nlohmann/json.hpp>

#include "domain/sse_encoder.hpp"
#include "domain/sse_parser.hpp"
#include "support/check.hpp"
#include "support/event_checks.hpp"
#include "support/pieces.hpp"
#include "support/utf8_oracle.hpp"

using namespace chatd::domain;

namespace {

/// Text fields: any bytes, made valid UTF-8, since the encoders require it (deltas come out
/// of the JSON decoder, stored text was validated on the way in).
std::string text(FuzzedDataProvider& in) {
  return chatd::fuzz::keep_valid_utf8(in.ConsumeRandomLengthString(200));
}

stream_event make_event(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 3)) {
  case 0:
    return start_event{text(in), text(in), text(in), text(in), in.ConsumeIntegral<unix_ms>()};
  case 1:
    return content_event{text(in), in.ConsumeIntegral<std::uint64_t>(),
                         in.ConsumeIntegral<std::uint64_t>()};
  case 2: {
    complete_event e;
    e.final_content = text(in);
    e.message_id = text(in);
    e.status = static_cast<message_status>(in.ConsumeIntegralInRange(0, 4));
    e.stored_in_db = in.ConsumeBool();
    e.stats.chunks = in.ConsumeIntegral<std::uint64_t>();
    e.stats.total_chars = in.ConsumeIntegral<std::uint64_t>();
    e.stats.duration_ms = in.ConsumeIntegral<std::int64_t>();
    if (in.ConsumeBool())
      e.stats.time_to_first_chunk_ms = in.ConsumeIntegral<std::int64_t>();
    e.stats.fallback = in.ConsumeBool() ? fallback_mode::none : fallback_mode::non_streaming;
    return e;
  }
  default: {
    error_event e;
    e.error.code = static_cast<error_code>(in.ConsumeIntegralInRange(0, 15));
    e.error.message = text(in);
    e.retryable = in.ConsumeBool();
    e.stored_in_db = in.ConsumeBool();
    return e;
  }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  std::vector<std::pair<std::uint64_t, stream_event>> frames;
  const int count = in.ConsumeIntegralInRange(1, 6);
  for (int i = 0; i < count; ++i) {
    const auto id = in.ConsumeIntegral<std::uint64_t>();
    frames.emplace_back(id, make_event(in));
  }
  std::vector<std::size_t> sizes;
  for (int i = in.ConsumeIntegralInRange(0, 7); i > 0; --i)
    sizes.push_back(in.ConsumeIntegral<std::uint8_t>());
  if (sizes.empty() || std::all_of(sizes.begin(), sizes.end(), [](auto s) { return s == 0; }))
    sizes = {1};

  std::string stream;
  std::vector<std::string> jsons;
  for (const auto& [id, ev] : frames) {
    jsons.push_back(encode_event_json(ev));
    const auto& j = jsons.back();
    const auto frame = encode_sse(id, ev);
    // One `id:` line, one `data:` line, a blank line: the JSON must hold no line break.
    FUZZ_CHECK(j.find_first_of("\r\n") == std::string::npos);
    FUZZ_CHECK(frame == "id: " + std::to_string(id) + "\ndata: " + j + "\n\n");
    stream += frame;
  }

  std::vector<sse_message> messages;
  sse_parser parser;
  chatd::fuzz::feed_in_pieces(
      stream, sizes, [&](std::string_view piece) { FUZZ_CHECK(parser.feed(piece, messages)); });
  FUZZ_CHECK(messages.size() == frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    FUZZ_CHECK(messages[i].id == std::to_string(frames[i].first));
    FUZZ_CHECK(messages[i].event.empty());
    FUZZ_CHECK(messages[i].data == jsons[i]);
    const auto parsed = nlohmann::json::parse(messages[i].data, nullptr, false);
    FUZZ_CHECK(parsed.is_object());
    chatd::fuzz::check_event_json(parsed, frames[i].second);
  }

  // Text that is not UTF-8 (a bug upstream of the encoder) must still make readable JSON,
  // never a stream the browser cannot parse. The content fast path is excluded: it documents
  // valid UTF-8 as its precondition.
  const auto raw = in.ConsumeRemainingBytesAsString();
  for (const stream_event& ev :
       {stream_event{start_event{raw, raw, raw, raw, 0}},
        stream_event{error_event{api_error{error_code::upstream_error, raw}, false, false}}}) {
    const auto j = encode_event_json(ev);
    FUZZ_CHECK(chatd::fuzz::oracle_valid_utf8(j));
    FUZZ_CHECK(nlohmann::json::parse(j, nullptr, false).is_object());
  }
  return 0;
}
