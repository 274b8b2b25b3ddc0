#include "tools/loadgen/stream_connection.hpp"

#include "tools/loadgen/stamp.hpp"

namespace chatd::loadgen {

namespace {
constexpr std::size_t error_excerpt_bytes = 300;
}

stream_connection::stream_connection(asio::io_context& io, target_kind target,
                                     std::size_t expected_chunks, int rcvbuf,
                                     stream_observer& observer)
    : socket_(io), target_(target), expected_chunks_(expected_chunks), rcvbuf_(rcvbuf),
      observer_(observer) {}

void stream_connection::start(const asio::ip::tcp::endpoint& server, std::string request) {
  request_ = std::move(request);
  std::error_code ec;
  socket_.open(server.protocol(), ec);
  if (!ec && rcvbuf_ > 0) // before connect: the window scale is agreed in the handshake
    socket_.set_option(asio::socket_base::receive_buffer_size(rcvbuf_), ec);
  if (ec)
    return finish(outcome::failed, "socket: " + ec.message());
  socket_.async_connect(server, [this](const std::error_code& e) { on_connected(e); });
}

void stream_connection::on_connected(const std::error_code& ec) {
  if (ec)
    return finish(outcome::failed, "connect: " + ec.message());
  std::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  // asio tries the write at once (speculatively), so this is when the request leaves.
  result_.sent_at = monotonic_ns();
  asio::async_write(socket_, asio::buffer(request_), [this](const std::error_code& e, std::size_t) {
    if (e)
      return finish(outcome::failed, "write: " + e.message());
    request_.clear();
    request_.shrink_to_fit();
  });
  read();
}

void stream_connection::read() {
  socket_.async_read_some(asio::buffer(buffer_),
                          [this](const std::error_code& ec, std::size_t n) { on_read(ec, n); });
}

void stream_connection::on_read(const std::error_code& ec, std::size_t n) {
  if (result_.result != outcome::pending)
    return;
  // One clock reading per read: every event in these bytes arrived together.
  const auto now = monotonic_ns();
  if (ec) {
    if (ec == asio::error::eof && http_.ends_with_connection() && result_.head_at != 0 &&
        !error_body_.empty())
      return finish(outcome::failed, error_body_);
    if (ec == asio::error::operation_aborted)
      return;
    const auto where = result_.head_at == 0 ? "before the response head" : "mid-stream";
    return finish(result_.head_at == 0 ? outcome::failed : outcome::incomplete,
                  std::string("connection ended ") + where + " (" + ec.message() + ") after " +
                      std::to_string(result_.contents) + " chunks");
  }
  const auto status = http_.feed(std::string_view(buffer_.data(), n),
                                 [this, now](std::string_view body) { on_body(body, now); });
  if (result_.result != outcome::pending)
    return;
  if (status == http_response_reader::status::error)
    return finish(outcome::failed, "malformed HTTP response");
  if (http_.head() && result_.head_at == 0)
    result_.head_at = now; // a head that came without body bytes
  if (status == http_response_reader::status::done) {
    if (http_.head()->status != 200)
      return finish(outcome::failed, error_body_);
    return finish(outcome::incomplete, "body ended without a final event after " +
                                           std::to_string(result_.contents) + " chunks");
  }
  read();
}

void stream_connection::on_body(std::string_view bytes, std::uint64_t now) {
  if (result_.head_at == 0)
    result_.head_at = now;
  if (http_.head()->status != 200) {
    if (error_body_.empty())
      error_body_ = "HTTP " + std::to_string(http_.head()->status) + ": ";
    if (error_body_.size() < error_excerpt_bytes)
      error_body_.append(bytes.substr(0, error_excerpt_bytes - error_body_.size()));
    return;
  }
  if (result_.result != outcome::pending)
    return;
  const bool ok = sse_.feed(bytes, [this, now](std::string_view, std::string_view data) {
    if (result_.result == outcome::pending)
      on_sse_event(data, now);
  });
  if (!ok && result_.result == outcome::pending)
    finish(outcome::failed, "SSE line too long");
}

void stream_connection::on_sse_event(std::string_view data, std::uint64_t now) {
  ++result_.events;
  observer_.on_event();
  const auto type = json_string_member(data, "type");
  switch (classify(target_, type.value_or(std::string_view()))) {
  case event_kind::content: {
    ++result_.contents;
    const auto text = json_string_member(data, text_member(target_));
    const auto s = text ? parse_stamp(*text) : std::nullopt;
    if (!s) {
      ++result_.bad_stamps;
      return;
    }
    observer_.on_chunk(static_cast<std::int64_t>(now - s->send_ns), now);
    if (result_.first_content_at == 0) {
      result_.first_content_at = now;
      result_.first_send_ns = s->send_ns;
      result_.provider_recv_ns = s->recv_ns;
      under_way();
    }
    return;
  }
  case event_kind::success:
    if (result_.contents != expected_chunks_)
      return finish(outcome::incomplete, std::to_string(result_.contents) + " of " +
                                             std::to_string(expected_chunks_) + " chunks");
    if (result_.bad_stamps > 0)
      return finish(outcome::failed, std::to_string(result_.bad_stamps) + " chunks had no stamp");
    return finish(outcome::ok, "");
  case event_kind::failure:
    return finish(outcome::failed,
                  "error event: " + std::string(data.substr(0, error_excerpt_bytes)));
  case event_kind::other:
    return;
  }
}

void stream_connection::under_way() {
  if (under_way_)
    return;
  under_way_ = true;
  observer_.on_under_way(result_);
}

void stream_connection::abort(const std::string& why) {
  if (result_.result != outcome::pending)
    return;
  finish(outcome::incomplete, why + " after " + std::to_string(result_.contents) + " chunks");
}

void stream_connection::finish(outcome o, std::string why) {
  if (result_.result != outcome::pending)
    return;
  result_.result = o;
  result_.error = std::move(why);
  result_.ended_at = monotonic_ns();
  std::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  under_way();
  observer_.on_end(result_);
}

} // namespace chatd::loadgen
