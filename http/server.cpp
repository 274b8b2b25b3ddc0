#include "http/server.hpp"

#include <future>
#include <pthread.h>
#include <stdexcept>
#include <sys/resource.h>

#include <restinio/all.hpp>

#include "domain/error.hpp"
#include "http/connection_gate.hpp"
#include "http/route_deps.hpp"

namespace chatd::http {

/// Named (not anonymous): http_server::impl, which has external linkage, holds a server of it.
namespace server_detail {

/// Routes behind a first check of the request's size, connections behind the gate that keeps
/// their number under the file-descriptor limit. (Not RESTinio's connection-count limiter: its
/// counter lives in the acceptor, and connections still queued in the io_context at shutdown
/// would outlive it; the gate is shared with every connection.) With several HTTP threads each
/// connection serialises its work on a strand.
struct traits : restinio::traits_t<restinio::asio_timer_manager_t, restinio::null_logger_t> {
  using ip_blocker_t = connection_gate;
  using connection_state_listener_t = connection_gate;
};

/// With one HTTP thread (the default) the event loop itself serialises everything, and a strand
/// would only add a queue and a lock to every write. Writes from actors are still handed to the
/// loop: RESTinio dispatches every response part through the connection's executor.
struct single_thread_traits
    : restinio::single_thread_traits_t<restinio::asio_timer_manager_t, restinio::null_logger_t> {
  using ip_blocker_t = connection_gate;
  using connection_state_listener_t = connection_gate;
};

/// A running RESTinio server of either kind.
class running_server {
public:
  virtual ~running_server() = default;
  virtual void open_async(std::promise<void>& opened) = 0;
  virtual void close_async(std::promise<void>& closed) = 0;
};

template<class Traits> class server_of final : public running_server {
public:
  server_of(asio::io_context& io, restinio::server_settings_t<Traits> settings)
      : server_(restinio::external_io_context(io), std::move(settings)) {}

  void open_async(std::promise<void>& opened) override {
    server_.open_async([&opened] { opened.set_value(); },
                       [&opened](std::exception_ptr ex) { opened.set_exception(ex); });
  }
  void close_async(std::promise<void>& closed) override {
    server_.close_async([&closed] { closed.set_value(); },
                        [&closed](std::exception_ptr) { closed.set_value(); });
  }

private:
  restinio::http_server_t<Traits> server_;
};

} // namespace server_detail

namespace {

using server_detail::running_server;
using server_detail::server_of;
using server_detail::single_thread_traits;
using server_detail::traits;

/// A URL or header field over the configured size is refused with a JSON error. (RESTinio's
/// own limits, set higher, drop the connection without an answer for what is far bigger.)
std::optional<restinio::request_handling_status_t>
refuse_oversized(const restinio::request_handle_t& req, const config::settings& s) {
  if (req->header().request_target().size() > s.max_url_bytes)
    return reply_error(req, domain::error_code::invalid_request, "the URL is too long");
  for (const auto& field : req->header())
    if (field.value().size() > s.max_header_bytes)
      return reply_error(req, domain::error_code::invalid_request,
                         "the header field " + field.name() + " is too long");
  return std::nullopt;
}

/// A target that is not a path (the absolute form `http://host/path`, which only proxies are sent,
/// or `*`) is refused: the router matches paths, and would answer it with the UI's page.
std::optional<restinio::request_handling_status_t>
refuse_non_path_target(const restinio::request_handle_t& req) {
  auto target = req->header().request_target();
  if (!target.empty() && target.front() == '/')
    return std::nullopt;
  return reply_error(req, domain::error_code::invalid_request,
                     "the request target must be a path, such as /api/conversations");
}

/// A path the router cannot decode (a malformed percent-escape, or escapes that are not UTF-8)
/// is refused with a JSON error: the router would throw, and RESTinio would drop the
/// connection without an answer. The check is the router's own normalisation, run ahead.
std::optional<restinio::request_handling_status_t>
refuse_undecodable_path(const restinio::request_handle_t& req) {
  try {
    (void)restinio::utils::uri_normalization::unreserved_chars::estimate_required_capacity(
        req->header().path());
    return std::nullopt;
  } catch (const restinio::exception_t& e) {
    return reply_error(req, domain::error_code::invalid_request,
                       std::string("the URL's path cannot be decoded: ") + e.what());
  }
}

/// `host:port`, with `[v6]` hosts unwrapped.
std::pair<std::string, std::uint16_t> split_address(const std::string& listen) {
  auto colon = listen.rfind(':');
  auto host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  return {host, static_cast<std::uint16_t>(std::stoi(listen.substr(colon + 1)))};
}

/// The address to bind `host` to. Parsed here rather than by RESTinio, whose parse error
/// ("Invalid argument") would not tell the operator what is wrong.
asio::ip::address bind_address(const std::string& host) {
  if (host == "localhost") // the two names RESTinio accepted
    return asio::ip::address_v4::loopback();
  if (host == "ip6-localhost")
    return asio::ip::address_v6::loopback();
  asio::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec)
    throw std::runtime_error(host + " is not an IP address");
  return address;
}

} // namespace

struct http_server::impl {
  asio::io_context ioctx;
  /// Keeps the threads in `ioctx.run()` until stop(), even while there is nothing to do: after
  /// a failed open there is not, and a close posted to a loop whose threads had already left
  /// would never run (stop() then waited out its timeout).
  asio::executor_work_guard<asio::io_context::executor_type> keep_running{ioctx.get_executor()};
  std::unique_ptr<running_server> server;
  std::vector<std::thread> threads;
  bool stopped = false;
};

namespace {

/// RESTinio's settings for `Traits`: limits and timeouts from `s`, `routes` behind the size
/// check; the bound port goes to `port` once the socket is bound.
template<class Traits>
std::unique_ptr<running_server>
make_server(asio::io_context& io, const config::settings& s, std::shared_ptr<router_type> routes,
            std::shared_ptr<connection_gate> gate, std::uint16_t& port) {
  auto [host, listen_port] = split_address(s.listen);
  restinio::server_settings_t<Traits> settings;
  settings.ip_blocker(gate).connection_state_listener(gate);
  settings.address(bind_address(host))
      .port(listen_port)
      .request_handler([routes, s](restinio::request_handle_t req) {
        if (auto refused = refuse_oversized(req, s))
          return *refused;
        if (auto refused = refuse_non_path_target(req))
          return *refused;
        if (auto refused = refuse_undecodable_path(req))
          return *refused;
        return (*routes)(std::move(req));
      })
      // Per connection, held for its whole life (an event stream's included); requests larger
      // than this are simply read in more pieces.
      .buffer_size(2048)
      .read_next_http_message_timelimit(s.request_read_timeout)
      .write_http_response_timelimit(std::chrono::seconds(10))
      // Between two writes of an answer; an event stream writes at least every keep-alive.
      .handle_request_timeout(s.provider_request_timeout + std::chrono::seconds(30))
      .max_pipelined_requests(4)
      .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                    .max_url_size(s.max_url_bytes * 4)
                                    .max_field_name_size(1024)
                                    .max_field_value_size(s.max_header_bytes * 4)
                                    .max_field_count(100)
                                    // Bodies a little over the limit get a proper 413 from the
                                    // routes; far bigger ones are cut off here.
                                    .max_body_size(s.max_body_bytes * 2 + 4096))
      // An event stream is a run of small writes; with Nagle on, a frame written while the
      // previous one is unacknowledged waits for the client's delayed ACK (40 ms on Linux).
      .socket_options_setter(
          [](auto& options) { options.set_option(restinio::asio_ns::ip::tcp::no_delay{true}); })
      .acceptor_post_bind_hook(
          [&port](asio::ip::tcp::acceptor& acceptor) { port = acceptor.local_endpoint().port(); });
  return std::make_unique<server_of<Traits>>(io, std::move(settings));
}

} // namespace

http_server::http_server(const config::settings& s, std::unique_ptr<router_type> router)
    : impl_(std::make_unique<impl>()) {
  std::shared_ptr<router_type> routes = std::move(router);
  rlimit descriptors{};
  getrlimit(RLIMIT_NOFILE, &descriptors);
  auto gate = std::make_shared<connection_gate>(connection_cap(descriptors.rlim_cur));
  try {
    if (s.http_threads <= 1)
      impl_->server = make_server<single_thread_traits>(impl_->ioctx, s, routes, gate, port_);
    else
      impl_->server = make_server<traits>(impl_->ioctx, s, routes, gate, port_);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot listen on " + s.listen + ": " + e.what());
  }
  std::promise<void> opened;
  auto result = opened.get_future();
  impl_->server->open_async(opened);
  for (std::size_t i = 0; i < std::max<std::size_t>(1, s.http_threads); ++i)
    impl_->threads.emplace_back([this] {
      pthread_setname_np(pthread_self(), "chatd.http");
      impl_->ioctx.run();
    });
  try {
    result.get();
  } catch (const std::exception& e) {
    stop();
    throw std::runtime_error("cannot listen on " + s.listen + ": " + e.what());
  }
}

http_server::~http_server() {
  stop();
}

void http_server::stop() {
  if (!impl_ || impl_->stopped)
    return;
  impl_->stopped = true;
  std::promise<void> closed;
  auto done = closed.get_future();
  impl_->server->close_async(closed);
  done.wait_for(std::chrono::seconds(5));
  impl_->keep_running.reset();
  impl_->ioctx.stop();
  for (auto& t : impl_->threads)
    if (t.joinable())
      t.join();
}

} // namespace chatd::http
