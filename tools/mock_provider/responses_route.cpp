// POST /v1/responses: check, work out the answer and the faults, then answer (maybe later).
//
//   log ─▶ auth ─▶ parse body ─▶ find context ─▶ directives ─▶ plan ─▶ [delay_ms timer] ─▶
//     HTTP fault (429/500/503) │ plain JSON response │ SSE stream (responses_stream)

#include "tools/mock_provider/answer.hpp"
#include "tools/mock_provider/directives.hpp"
#include "tools/mock_provider/http_replies.hpp"
#include "tools/mock_provider/ids.hpp"
#include "tools/mock_provider/responses_request.hpp"
#include "tools/mock_provider/responses_stream.hpp"
#include "tools/mock_provider/routes.hpp"

#include <cctype>
#include <chrono>
#include <memory>

namespace chatd::mock {

namespace {

/// A request that passed every check, waiting for its answer (after `delay_ms` if any).
struct accepted_request {
  restinio::request_handle_t req;
  bool stream = false;
  stream_plan plan;
  directive dir;
  fault_kind fault = fault_kind::none; ///< The fault that hits this request, if any.
};

nlohmann::json headers_of(const restinio::request_handle_t& req) {
  nlohmann::json headers = nlohmann::json::object();
  req->header().for_each_field([&](const restinio::http_header_field_t& field) {
    std::string name = field.name();
    for (auto& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    headers[name] = field.value();
  });
  return headers;
}

// A body's `"stream"` for the log, whatever else is wrong with it.
bool wants_stream(const nlohmann::json& body) {
  if (!body.is_object())
    return false;
  const auto it = body.find("stream");
  return it != body.end() && it->is_boolean() && it->get<bool>();
}

restinio::request_handling_status_t http_fault(const accepted_request& a) {
  header_list headers;
  if (a.fault != fault_kind::http_500) {
    if (a.dir.retry_after_s)
      headers.emplace_back("Retry-After", std::to_string(*a.dir.retry_after_s));
    if (a.dir.retry_after_ms)
      headers.emplace_back("retry-after-ms", std::to_string(*a.dir.retry_after_ms));
  }
  if (a.fault == fault_kind::http_429)
    return reply_error(a.req,
                       {429, "Rate limit reached for requests (mock fail=http_429).", "requests",
                        std::nullopt, std::string("rate_limit_exceeded")},
                       headers);
  if (a.fault == fault_kind::http_503)
    return reply_error(
        a.req,
        server_error(503, "The server is overloaded, please try again later (mock fail=http_503)."),
        headers);
  return reply_error(a.req,
                     server_error(500, "The server had an error while processing your request "
                                       "(mock fail=http_500)."),
                     headers);
}

std::string whole_text(const stream_plan& plan, std::size_t count) {
  std::string text;
  for (std::size_t i = 0; i < count && i < plan.pieces.size(); ++i)
    text += plan.stamp ? stamped_delta(monotonic_ns(), i) : plan.pieces[i];
  return text;
}

void reply_whole(accepted_request& a, const std::string& status, std::size_t pieces) {
  const auto text = whole_text(a.plan, pieces);
  if (a.plan.on_produced)
    a.plan.on_produced(text);
  reply_json(a.req, 200, response_object(a.plan.meta, status, &text).dump());
}

// A non-streaming request that a fault hits (scope=all): the nearest thing a plain reply has.
void non_streaming_fault(provider_state& state, accepted_request a) {
  switch (a.fault) {
  case fault_kind::cut:
    a.req->create_response<sse_output>().cut();
    return;
  case fault_kind::response_failed:
  case fault_kind::error_event:
    reply_error(a.req, server_error(500, "The mock provider failed this response on purpose."));
    return;
  case fault_kind::incomplete:
    reply_whole(a, "incomplete", a.dir.after);
    return;
  case fault_kind::stall: {
    // Without stall_ms: never answer. RESTinio keeps reading the socket (two pipelined
    // requests allowed), so it closes the connection once the client gives up.
    if (!a.dir.stall_ms)
      return;
    auto timer = std::make_shared<restinio::asio_ns::steady_timer>(state.io);
    timer->expires_after(std::chrono::milliseconds(*a.dir.stall_ms));
    timer->async_wait([timer, a = std::move(a)](const std::error_code& ec) mutable {
      if (!ec)
        reply_whole(a, "completed", a.plan.pieces.size());
    });
    return;
  }
  default:
    reply_whole(a, "completed", a.plan.pieces.size());
  }
}

void answer(provider_state& state, accepted_request a) {
  if (is_http_fault(a.fault))
    return static_cast<void>(http_fault(a));
  if (!a.stream) {
    if (a.fault != fault_kind::none)
      return non_streaming_fault(state, std::move(a));
    return reply_whole(a, "completed", a.plan.pieces.size());
  }
  auto writer = a.req->create_response<sse_output>();
  writer.append_header(restinio::http_field::content_type, "text/event-stream; charset=utf-8");
  writer.append_header(restinio::http_field::cache_control, "no-cache");
  writer.append_header("x-request-id", random_id("req_"));
  a.plan.fault = a.fault;
  a.plan.fault_after = a.dir.after;
  if (a.dir.stall_ms)
    a.plan.stall_for = std::chrono::milliseconds(*a.dir.stall_ms);
  start_responses_stream(state.io, std::move(writer), std::move(a.plan));
}

} // namespace

restinio::request_handling_status_t
routes::on_post_responses(const restinio::request_handle_t& req) {
  auto& state = *state_;
  // The request is whole here (RESTinio has read it all): its receipt time for stamp mode.
  const auto received_ns = monotonic_ns();
  // Log first: a test may want to see exactly what a rejected request carried.
  const auto body = nlohmann::json::parse(req->body(), nullptr, /*allow_exceptions=*/false);
  const bool is_json = !body.is_discarded();
  state.log.record(wants_stream(body), is_json ? body : nlohmann::json(req->body()),
                   headers_of(req));

  if (auto error = check_auth(req))
    return reply_error(req, *error);
  if (!is_json)
    return reply_error(req, {400,
                             "We could not parse the JSON body of your request. (HINT: This "
                             "likely means you aren't using your HTTP library correctly.)",
                             "invalid_request_error", std::nullopt, std::nullopt});
  auto parsed = parse_responses_request(body);
  if (const auto* error = std::get_if<api_error>(&parsed))
    return reply_error(req, *error);
  auto& r = std::get<responses_request>(parsed);

  // The chain of user texts this turn continues.
  turn_ptr chain;
  if (r.previous_response_id) {
    const auto found = state.conversations.find_response(*r.previous_response_id);
    if (!found)
      return reply_error(
          req, {400, "Previous response with id '" + *r.previous_response_id + "' not found.",
                "invalid_request_error", std::string("previous_response_id"),
                std::string("previous_response_not_found")});
    chain = *found;
  } else if (r.conversation_id) {
    const auto found = state.conversations.find_conversation(*r.conversation_id);
    if (!found)
      return reply_error(req, {404, "Conversation with id '" + *r.conversation_id + "' not found.",
                               "invalid_request_error", std::string("conversation"),
                               std::string("conversation_not_found")});
    chain = *found;
  }

  parsed_text current;
  try {
    current = parse_directives(r.user_texts.empty() ? std::string() : r.user_texts.back());
  } catch (const directive_error& e) {
    return reply_error(req, {400, e.what(), "invalid_request_error", std::string("input"),
                             std::string("invalid_mock_directive")});
  }
  for (std::size_t i = 0; i + 1 < r.user_texts.size(); ++i)
    chain = extend(std::move(chain), strip_directives(r.user_texts[i]));
  chain = extend(std::move(chain), current.text);

  accepted_request a;
  a.req = req;
  a.stream = r.stream;
  a.dir = std::move(current.dir);
  const auto& d = a.dir;
  const bool in_scope = r.stream || d.scope == fault_scope::all;
  // `times=` counts only the requests the fault would hit.
  if (d.fail != fault_kind::none && in_scope &&
      (!d.times || state.counters.take(d.identity, *d.times)))
    a.fault = d.fail;

  const auto answer_text =
      d.text ? *d.text : echo_answer(current.text, chain->depth, chain->first_text());
  const auto deltas =
      d.deltas.value_or(static_cast<std::size_t>(std::max(0, state.options.default_deltas)));
  auto& plan = a.plan;
  plan.pieces = deltas > 0 ? split_into(answer_text, deltas) : split_after_spaces(answer_text);
  plan.stamp = d.stamp.value_or(state.options.stamp);
  if (plan.stamp)
    plan.received_ns = received_ns;
  plan.rate = d.rate.value_or(state.options.default_rate);
  plan.chop = d.chop;

  auto& meta = plan.meta;
  meta.id = random_id("resp_");
  meta.item_id = random_id("msg_");
  meta.created_at = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  meta.model = r.model;
  meta.previous_response_id = r.previous_response_id;
  meta.conversation_id = r.conversation_id;
  meta.instructions = r.instructions;
  for (const auto& text : r.user_texts)
    meta.input_tokens += approx_tokens(text);
  meta.input_tokens += r.instructions ? approx_tokens(*r.instructions) : 0;

  // The id is usable as previous_response_id from `response.created` on, as with OpenAI; a
  // conversation moves on only once its response has been produced.
  state.conversations.remember_response(meta.id, chain);
  if (r.conversation_id)
    plan.on_produced = [state = state_, id = *r.conversation_id, chain](const std::string&) {
      state->conversations.advance_conversation(id, chain);
    };

  if (d.delay_ms <= 0) {
    answer(state, std::move(a));
    return restinio::request_accepted();
  }
  auto timer = std::make_shared<restinio::asio_ns::steady_timer>(state.io);
  timer->expires_after(std::chrono::milliseconds(d.delay_ms));
  timer->async_wait([timer, state = state_, a = std::move(a)](const std::error_code& ec) mutable {
    if (!ec)
      answer(*state, std::move(a));
  });
  return restinio::request_accepted();
}

} // namespace chatd::mock
