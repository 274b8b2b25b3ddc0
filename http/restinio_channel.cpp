#include "http/restinio_channel.hpp"

#include <cstdio>
#include <random>

#include <spdlog/spdlog.h>

#include "actors/metrics.hpp"

namespace chatd::http {

namespace {

/// Responses not yet written and released, for a graceful stop.
std::atomic<std::size_t> responses_open{0};

} // namespace

std::size_t open_responses() {
  return responses_open.load();
}

namespace {

/// The client's `X-Request-Id` when it is a sane token, else a fresh random one.
std::string request_id_for(const restinio::request_t& req) {
  if (auto given = req.header().opt_value_of("X-Request-Id")) {
    std::string_view v(given->data(), given->size());
    bool sane = !v.empty() && v.size() <= 64;
    for (char c : v)
      sane =
          sane && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
    if (sane)
      return std::string(v);
  }
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

void log_request(const restinio::request_t& req, const std::string& id, int status, double ms,
                 bool stream) {
  auto path = req.header().path();
  spdlog::info("event=http request_id={} method={} path={} status={} ms={:.2f} stream={}", id,
               req.header().method().c_str(), std::string_view(path.data(), path.size()), status,
               ms, stream);
}

} // namespace

restinio_channel::restinio_channel(restinio::request_handle_t req)
    : req_(std::move(req)), created_(std::chrono::steady_clock::now()),
      request_id_(request_id_for(*req_)) {
  ++responses_open;
}

restinio_channel::~restinio_channel() {
  --responses_open;
  if (stream_)
    log_request(*req_, request_id_, 200, ms_since(created_), true);
}

const char* reason_phrase(int status) {
  switch (status) {
  case 200:
    return "OK";
  case 201:
    return "Created";
  case 204:
    return "No Content";
  case 304:
    return "Not Modified";
  case 400:
    return "Bad Request";
  case 401:
    return "Unauthorized";
  case 403:
    return "Forbidden";
  case 404:
    return "Not Found";
  case 405:
    return "Method Not Allowed";
  case 409:
    return "Conflict";
  case 413:
    return "Payload Too Large";
  case 429:
    return "Too Many Requests";
  case 500:
    return "Internal Server Error";
  case 502:
    return "Bad Gateway";
  case 503:
    return "Service Unavailable";
  case 504:
    return "Gateway Timeout";
  default:
    return "Unknown";
  }
}

void restinio_channel::send_json(int status, std::string body, actors::header_list headers) {
  auto resp = req_->create_response(restinio::http_status_line_t{
      restinio::http_status_code_t{static_cast<std::uint16_t>(status)}, reason_phrase(status)});
  with_common_headers(resp);
  if (status != 204) // no content, so no type of it
    resp.append_header(restinio::http_field::content_type, "application/json; charset=utf-8");
  resp.append_header(restinio::http_field::cache_control, "no-store");
  resp.append_header("X-Request-Id", request_id_);
  for (auto& [name, value] : headers)
    resp.append_header(name, value);
  if (status != 204)
    resp.set_body(std::move(body));
  // Observed before the answer leaves, so that a client's next /metrics already counts it.
  auto ms = ms_since(created_);
  actors::metrics().request_seconds.observe(ms / 1000.0);
  // Held until written: a graceful stop waits for the answers still on their way out.
  resp.done([self = shared_from_this()](const asio::error_code&) {});
  log_request(*req_, request_id_, status, ms, false);
}

void restinio_channel::start_stream() {
  if (stream_)
    return;
  stream_.emplace(req_->create_response<restinio::chunked_output_t>());
  with_common_headers(*stream_);
  stream_->append_header(restinio::http_field::content_type, "text/event-stream; charset=utf-8");
  stream_->append_header(restinio::http_field::cache_control, "no-cache, no-transform");
  stream_->append_header("X-Accel-Buffering", "no");
  stream_->append_header("X-Request-Id", request_id_);
}

void restinio_channel::write(std::shared_ptr<const std::string> bytes, bool last) {
  if (!stream_)
    start_stream();
  if (bytes)
    stream_->append_chunk(restinio::writable_item_t{std::move(bytes)});
  ++in_flight_;
  auto done = [self = shared_from_this()](const asio::error_code& ec) { self->write_done(ec); };
  if (last)
    stream_->done(std::move(done));
  else
    stream_->flush(std::move(done));
}

void restinio_channel::write_done(const asio::error_code& ec) {
  if (--in_flight_ == 0 && drain_awaited_.exchange(false) && on_drained_)
    on_drained_();
  if (!ec)
    return;
  std::function<void()> notify;
  {
    std::lock_guard<std::mutex> guard(failure_mtx_);
    if (failed_)
      return;
    failed_ = true;
    notify = on_failure_;
  }
  if (notify)
    notify();
}

void restinio_channel::on_drained(std::function<void()> callback) {
  on_drained_ = std::move(callback);
}

bool restinio_channel::await_drained() {
  drain_awaited_.store(true);
  // The last write may have finished before the flag was up: then nobody will call back.
  // Whichever side takes the flag back first answers; a second answer cannot happen.
  return !(in_flight_.load() == 0 && drain_awaited_.exchange(false));
}

void restinio_channel::on_write_failure(std::function<void()> callback) {
  std::lock_guard<std::mutex> guard(failure_mtx_);
  on_failure_ = std::move(callback);
}

} // namespace chatd::http
