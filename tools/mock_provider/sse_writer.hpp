#pragma once
// A RESTinio response builder that writes chunked transfer encoding itself.
//
// RESTinio's own `chunked_output_t` always ends a response with the terminating zero chunk, and
// its other builders announce a Content-Length. The `cut` fault needs what a crashing upstream
// does: close the TCP connection in the middle of a chunked body. So this builder (a
// specialisation of RESTinio's `response_builder_t` for our own tag, the library's extension
// point for output kinds) frames each chunk and decides how the response ends: `finish` (zero
// chunk, connection reusable) or `cut` (connection closed, no zero chunk).

#include <string> // before asio: see request_log.hpp

#include <restinio/all.hpp>

namespace chatd::mock {
/// Tag for `req->create_response<sse_output>()`.
struct sse_output {};
} // namespace chatd::mock

namespace restinio {

template<>
class response_builder_t<chatd::mock::sse_output> final
    : public base_response_builder_t<response_builder_t<chatd::mock::sse_output>> {
public:
  using base_type_t = base_response_builder_t<response_builder_t<chatd::mock::sse_output>>;
  using base_type_t::base_type_t;
  response_builder_t(response_builder_t&&) = default;

  /// Queues `bytes` as one chunk (after the header, with the first call). `on_written` runs
  /// once they are on the socket, or with an error when the connection has gone away.
  void write_chunk(std::string bytes, write_status_cb_t on_written) {
    std::string framed = fmt::format("{:X}\r\n", bytes.size());
    framed.append(bytes).append("\r\n");
    writable_items_container_t items;
    items.emplace_back(std::move(framed));
    send(std::move(items), response_parts_attr_t::not_final_parts, std::move(on_written));
  }

  /// An empty write: `on_written` gets an error if the client has gone, success otherwise.
  void probe(write_status_cb_t on_written) {
    send({}, response_parts_attr_t::not_final_parts, std::move(on_written));
  }

  /// Ends the body properly (zero chunk); the connection stays usable.
  void finish() {
    writable_items_container_t items;
    items.emplace_back(const_buffer("0\r\n\r\n", 5));
    send(std::move(items), response_parts_attr_t::final_parts, {});
  }

  /// Closes the connection after what was already queued, without the zero chunk (and without
  /// even the header when nothing was written yet: an empty reply).
  void cut() { send({}, response_parts_attr_t::final_parts, {}, /*close=*/true); }

  /// True once `finish` or `cut` was called.
  bool ended() const noexcept { return !m_connection; }

private:
  void send(writable_items_container_t items, response_parts_attr_t parts,
            write_status_cb_t on_written, bool close = false) {
    if (!m_connection)
      return;
    std::size_t status_line_size = 0;
    if (!m_header_sent && !close) {
      m_header.set_field(http_field::transfer_encoding, "chunked");
      m_keep_alive = m_header.should_keep_alive();
      items.insert(items.begin(),
                   writable_item_t{impl::create_header_string(
                       m_header, impl::content_length_field_presence_t::skip_content_length)});
      status_line_size = calculate_status_line_size();
      m_header_sent = true;
    }
    write_group_t group{std::move(items)};
    group.status_line_size(status_line_size);
    if (on_written)
      group.after_write_notificator(std::move(on_written));
    const auto connection_attr = close || !m_keep_alive
                                     ? response_connection_attr_t::connection_close
                                     : response_connection_attr_t::connection_keepalive;
    auto connection =
        parts == response_parts_attr_t::final_parts ? std::move(m_connection) : m_connection;
    connection->write_response_parts(m_request_id, response_output_flags_t{parts, connection_attr},
                                     std::move(group));
  }

  bool m_header_sent = false;
  bool m_keep_alive = true;
};

} // namespace restinio

namespace chatd::mock {
using sse_writer = restinio::response_builder_t<sse_output>;
} // namespace chatd::mock
