#include "actors/upstream.hpp"

#include <random>

#include <caf/all.hpp>
#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include "actors/clock.hpp"
#include "actors/errors.hpp"
#include "http/provider_client.hpp"

namespace chatd::actors {

namespace {

using namespace chatd::domain;
using upstream_ptr = upstream_actor::stateful_pointer<upstream_state>;
using std::chrono::steady_clock;

/// The largest body kept: error bodies and non-streaming answers.
constexpr std::size_t max_body = 16 << 20;

/// An exit reason for the supervisor: what went wrong, and whether trying later may help.
caf::error upstream_failure(error_code code, std::string message, bool retryable) {
  return to_caf_error(code, std::move(message), retryable ? 1 : 0);
}

/// Never let the key into a message, even if a provider echoes it back.
std::string scrub(std::string text, const std::string& key) {
  if (key.size() >= 8)
    for (auto pos = text.find(key); pos != std::string::npos; pos = text.find(key, pos))
      text.replace(pos, key.size(), "[redacted]");
  return text;
}

/// `text` fit for one quoted log field: quotes and line breaks would let it forge fields.
std::string log_safe(std::string text) {
  for (auto& c : text)
    if (c == '"' || c == '\n' || c == '\r')
      c = '\'';
  return text;
}

void cancel_transfer(upstream_ptr self) {
  auto& st = self->state;
  if (st.transfer != 0)
    st.config->client->cancel(st.transfer);
  st.transfer = 0;
  *st.live_transfer = 0;
}

void fail(upstream_ptr self, error_code code, std::string message, bool retryable) {
  // The status and the reason, so that an operator can tell a wrong key from an outage.
  spdlog::warn("event=provider_failure request_id={} job={} code={} retryable={} fallback={} "
               "status={} reason=\"{}\"",
               self->state.request_id, self->state.job, to_string(code), retryable,
               self->state.fallback, self->state.status, log_safe(message));
  cancel_transfer(self);
  self->quit(upstream_failure(code, std::move(message), retryable));
}

void arm_watchdog(upstream_ptr self, std::chrono::milliseconds after) {
  self->delayed_send(self, after, watchdog_atom::value, self->state.watchdog_round);
}

/// A sign of life from the provider.
void note_activity(upstream_ptr self) {
  auto& st = self->state;
  st.last_activity = steady_clock::now();
  st.heard_from_provider = true;
}

/// The longest silence allowed now. Until the first text the first-byte timeout applies: a
/// reasoning model sends nothing while it thinks, often for longer than the idle timeout.
std::chrono::milliseconds silence_limit(const upstream_state& st) {
  return st.relayed_text ? st.config->idle_timeout : st.config->first_byte_timeout;
}

/// The provider loop's callbacks, turned into this actor's messages (they run on the loop's
/// thread; a send never blocks it).
http::transfer_sink sink_for(upstream_ptr self) {
  auto me = caf::actor_cast<upstream_actor>(self);
  return {
      [me](std::uint64_t id, long status, std::string retry_after_ms, std::string retry_after) {
        caf::anon_send(
            me, transfer_head{id, status, std::move(retry_after_ms), std::move(retry_after)});
      },
      [me](std::uint64_t id, std::string bytes) {
        caf::anon_send(me, transfer_data{id, std::move(bytes)});
      },
      [me](std::uint64_t id, int curl_code, std::string error) {
        caf::anon_send(me, transfer_end{id, curl_code, std::move(error)});
      },
  };
}

void begin_attempt(upstream_ptr self) {
  auto& st = self->state;
  st.decoder = responses_event_decoder{};
  st.status = 0;
  st.body.clear();
  st.retry_hint.reset();
  st.heard_from_provider = false;
  st.last_activity = steady_clock::now();
  http::provider_call call;
  call.url = st.config->base_url + "/responses";
  call.body = encode_responses_request(st.request);
  call.api_key = st.config->api_key;
  call.streaming = st.request.stream;
  call.request_id = st.request_id;
  call.connect_timeout = st.config->connect_timeout;
  if (!st.request.stream)
    call.total_timeout = st.config->request_timeout;
  st.transfer = st.config->client->start(std::move(call), sink_for(self));
  spdlog::debug("event=provider_call request_id={} job={} attempt={} stream={}", st.request_id,
                st.job, st.retries + 1, st.request.stream);
  *st.live_transfer = st.transfer;
  ++st.watchdog_round;
  // A non-streaming answer sends nothing until it is whole: only curl's total_timeout (the
  // request timeout) bounds it; the first-byte and idle limits are for streams.
  if (st.request.stream)
    arm_watchdog(self, st.config->first_byte_timeout);
}

/// A number in [0, 1) for back-off jitter, from one generator per thread seeded once: a
/// random_device for every call took 1.5 % of chatd's CPU in a run of 5 000 short turns.
double jitter_fraction() {
  thread_local std::minstd_rand engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

/// Another attempt after a back-off, if the policy allows one; otherwise the end.
void retry_or_fail(upstream_ptr self, error_code code, std::string message,
                   std::optional<std::chrono::milliseconds> hint = std::nullopt) {
  auto& st = self->state;
  cancel_transfer(self);
  // A provider that asks for a longer wait than the policy honours (a spent quota says "in an
  // hour") will not answer a retry sooner.
  if (st.relayed_text || st.retries >= st.config->retry.max_retries ||
      (hint && *hint > st.config->retry.max_server_delay))
    return fail(self, code, std::move(message), true);
  auto delay = backoff_delay(st.config->retry, st.retries, jitter_fraction(), hint);
  ++st.retries;
  spdlog::info("event=provider_retry request_id={} job={} code={} retry_in_ms={}", st.request_id,
               st.job, to_string(code), delay.count());
  ++st.watchdog_round; // the old attempt's watchdog must not fire
  self->delayed_send(self, delay, retry_atom::value);
}

/// Whether libcurl failed before it had a connection to the provider (name, connection, TLS).
bool never_connected(int curl_code) {
  switch (curl_code) {
  case CURLE_COULDNT_RESOLVE_PROXY:
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_CONNECT:
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CACERT_BADFILE:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_CIPHER:
  case CURLE_USE_SSL_FAILED:
    return true;
  default:
    return false;
  }
}

void on_provider_events(upstream_ptr self) {
  auto& st = self->state;
  for (auto& ev : st.events) {
    if (auto* text = std::get_if<provider_text>(&ev)) {
      if (!st.relayed_text) {
        // From the first text on, the idle timeout applies: the watchdog armed for the wait
        // before it looks at the silence only when it fires.
        st.relayed_text = true;
        ++st.watchdog_round;
        arm_watchdog(self, silence_limit(st));
      }
      self->send(st.sink, upstream_text{st.job, std::move(text->delta)});
    } else if (auto* started = std::get_if<provider_started>(&ev)) {
      self->send(st.sink, upstream_started{st.job, started->response_id});
    } else if (auto* done = std::get_if<provider_completed>(&ev)) {
      self->send(st.sink, upstream_done{st.job, done->response_id, std::move(done->text), false});
      cancel_transfer(self);
      self->quit();
      return;
    } else if (auto* failed = std::get_if<provider_failed>(&ev)) {
      return fail(self, error_code::upstream_error,
                  "the provider failed: " + scrub(failed->message, st.config->api_key), true);
    }
  }
}

/// A non-2xx answer: retry what may pass later, report the rest.
void on_error_status(upstream_ptr self, std::optional<std::chrono::milliseconds> hint) {
  auto& st = self->state;
  auto status = st.status;
  if (status == 401 || status == 403)
    return fail(self, error_code::upstream_error, "the provider refused the API key", false);
  if ((status == 400 || status == 404) && !st.request.previous_response_id.empty() &&
      is_lost_chain_error(st.body)) {
    // The provider no longer holds the conversation's earlier answers: they are sent again,
    // and this answer starts a new chain. Not a retry: the request is a different one.
    spdlog::warn("event=provider_chain_lost request_id={} job={} previous_response_id={} "
                 "history_messages={}",
                 st.request_id, st.job, log_safe(st.request.previous_response_id),
                 st.request.history.size());
    st.request.previous_response_id.clear();
    st.request.context = std::move(st.request.history);
    st.request.history.clear();
    return begin_attempt(self);
  }
  auto detail = scrub(describe_error_body(st.body), st.config->api_key);
  auto message = "the provider answered HTTP " + std::to_string(status) +
                 (detail.empty() ? "" : ": " + detail);
  if (!is_retryable_status(status))
    return fail(self, error_code::upstream_error, std::move(message), false);
  retry_or_fail(self, upstream_code_of_status(status), std::move(message), hint);
}

} // namespace

bool is_retryable_failure(const caf::error& err) {
  return retry_after_of(err) != 0;
}

upstream_actor::behavior_type upstream(upstream_actor::stateful_pointer<upstream_state> self,
                                       std::shared_ptr<const upstream_config> config,
                                       upstream_sink_actor sink, std::uint64_t job,
                                       responses_request request, bool fallback,
                                       std::string request_id) {
  auto& st = self->state;
  st.config = std::move(config);
  st.sink = std::move(sink);
  st.job = job;
  st.request = std::move(request);
  st.fallback = fallback;
  st.request_id = std::move(request_id);
  if (fallback)
    st.request.stream = false;
  st.live_transfer = std::make_shared<std::uint64_t>(0);
  // However the actor ends (even by an exception), its transfer must not outlive it.
  self->attach_functor([client = st.config->client, live = st.live_transfer] {
    if (*live != 0)
      client->cancel(*live);
  });
  begin_attempt(self);
  return {
      [self](transfer_head& head) {
        auto& st = self->state;
        if (head.transfer != st.transfer)
          return;
        st.status = head.status;
        note_activity(self);
        // Kept until the body (the error's text) has arrived.
        st.retry_hint = parse_retry_after(head.retry_after_ms, head.retry_after, now_ms());
      },
      [self](transfer_data& data) {
        auto& st = self->state;
        if (data.transfer != st.transfer)
          return;
        note_activity(self);
        bool ok_status = st.status >= 200 && st.status < 300;
        if (ok_status && st.request.stream) {
          st.events.clear();
          st.decoder.feed(data.bytes, st.events);
          on_provider_events(self);
          return;
        }
        if (st.body.size() + data.bytes.size() > max_body)
          return fail(self, error_code::upstream_error, "the provider's answer is too large", true);
        st.body.append(data.bytes);
      },
      [self](transfer_end& end) {
        auto& st = self->state;
        if (end.transfer != st.transfer)
          return;
        st.transfer = 0;
        *st.live_transfer = 0;
        if (end.curl_code != CURLE_OK) {
          if (end.curl_code == CURLE_OPERATION_TIMEDOUT) {
            // A provider never reached is told apart from one too slow (curl says "Resolving
            // timed out" or "Connection timed out" before it connected).
            if (end.error.rfind("Resolving timed out", 0) == 0 ||
                end.error.rfind("Connection timed out", 0) == 0)
              return retry_or_fail(self, error_code::upstream_timeout,
                                   "cannot reach the provider: " + end.error);
            // One that had the request and was too slow would be waited for as long again by
            // a retry (and may bill the abandoned call): no retry.
            return fail(self, error_code::upstream_timeout,
                        st.heard_from_provider ? "the provider's answer did not finish in time"
                                               : "the provider did not answer in time",
                        true);
          }
          // Not reached at all says the provider is down; reached and then cut off (nothing
          // came back, a reset mid-answer) is the provider's error.
          if (never_connected(end.curl_code))
            return retry_or_fail(self, error_code::upstream_unavailable,
                                 "cannot reach the provider: " + end.error);
          return retry_or_fail(self, error_code::upstream_error,
                               "the provider broke off the connection: " + end.error);
        }
        if (st.status < 200 || st.status >= 300)
          return on_error_status(self, st.retry_hint);
        if (st.request.stream)
          return fail(self, error_code::upstream_error, "the provider's stream ended early", true);
        auto outcome = decode_response_object(st.body);
        if (auto* done = std::get_if<provider_completed>(&outcome)) {
          self->send(st.sink,
                     upstream_done{st.job, done->response_id, std::move(done->text), st.fallback});
          self->quit();
          return;
        }
        auto* failed = std::get_if<provider_failed>(&outcome);
        fail(self, error_code::upstream_error,
             "the provider failed: " + scrub(failed ? failed->message : "", st.config->api_key),
             true);
      },
      [self](retry_atom) { begin_attempt(self); },
      // Streams only: the wait for the first byte, then every silence after it.
      [self](watchdog_atom, std::uint64_t round) {
        auto& st = self->state;
        if (round != st.watchdog_round || st.transfer == 0)
          return;
        auto limit = silence_limit(st);
        auto quiet = std::chrono::duration_cast<std::chrono::milliseconds>(steady_clock::now() -
                                                                           st.last_activity);
        if (quiet < limit)
          return arm_watchdog(self, limit - quiet);
        auto message = "the provider sent nothing for " + std::to_string(quiet.count()) + " ms";
        // Silence after the provider answered is a slow provider, not a lost request.
        if (st.heard_from_provider)
          return fail(self, error_code::upstream_timeout, std::move(message), true);
        retry_or_fail(self, error_code::upstream_timeout, std::move(message));
      },
  };
}

} // namespace chatd::actors
