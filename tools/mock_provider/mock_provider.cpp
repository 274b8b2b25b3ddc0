#include "tools/mock_provider/mock_provider.hpp"

#include "tools/mock_provider/provider_state.hpp"
#include "tools/mock_provider/routes.hpp"

#include <restinio/all.hpp>

#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace chatd::mock {

struct mock_provider::impl {
  // Declared first so it is destroyed last: whatever still waits on it (streams, timers,
  // connections) is freed with it, after the server object is gone.
  std::unique_ptr<restinio::asio_ns::io_context> io =
      std::make_unique<restinio::asio_ns::io_context>();
  std::shared_ptr<provider_state> state;
  std::unique_ptr<restinio::http_server_t<server_traits>> server;
  std::vector<std::thread> threads;
  std::shared_ptr<std::atomic<std::uint16_t>> bound_port =
      std::make_shared<std::atomic<std::uint16_t>>(0);
  std::string url_host;
  std::mutex stop_mutex;
};

namespace {

restinio::asio_ns::ip::address parse_host(const std::string& host) {
  std::error_code ec;
  const auto address =
      restinio::asio_ns::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec)
    throw std::invalid_argument("mock provider: not an IP address: '" + host + "'");
  return address;
}

// What a client should connect to: a wildcard address is reachable on the loopback.
std::string host_for_url(const restinio::asio_ns::ip::address& address) {
  if (address.is_unspecified())
    return address.is_v6() ? "[::1]" : "127.0.0.1";
  return address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
}

} // namespace

std::unique_ptr<mock_provider> mock_provider::start(mock_options opts) {
  auto p = std::make_unique<impl>();
  const auto address = parse_host(opts.host);
  p->url_host = host_for_url(address);
  const auto threads = std::max<std::size_t>(1, opts.io_threads);
  const auto port = opts.port;
  p->state = std::make_shared<provider_state>(std::move(opts), *p->io);

  auto settings =
      restinio::server_settings_t<server_traits>{}
          .address(address)
          .protocol(address.is_v6() ? restinio::asio_ns::ip::tcp::v6()
                                    : restinio::asio_ns::ip::tcp::v4())
          .port(port)
          .request_handler(routes::make_handler(std::make_shared<routes>(p->state)))
          // Keep reading while a response streams, so a client that hangs up is noticed.
          .max_pipelined_requests(2)
          // RESTinio closes a connection whose response makes no progress for this long; a
          // stalled stream must be able to outlast any test's patience.
          .handle_request_timeout(std::chrono::hours(24))
          // One accept at a time: RESTinio 0.6.16 runs accept completions on the plain
          // io_context executor, so two of them on two threads race on its connection id
          // counter (ThreadSanitizer saw it). Accepting is not where the mock spends its time.
          .concurrent_accepts_count(1)
          .socket_options_setter([](auto& options) {
            // Small writes (chop=1, single deltas) must leave at once, not wait for Nagle.
            options.set_option(restinio::asio_ns::ip::tcp::no_delay{true});
          })
          .acceptor_post_bind_hook([bound = p->bound_port](auto& acceptor) {
            bound->store(acceptor.local_endpoint().port());
          });
  // Opened on this thread before any loop thread exists, so a bind failure simply throws here
  // (RESTinio's run_async reports it from a loop thread, racing with its own start-up).
  p->server = std::make_unique<restinio::http_server_t<server_traits>>(
      restinio::external_io_context(*p->io), std::move(settings));
  p->server->open_sync();
  for (std::size_t i = 0; i < threads; ++i)
    p->threads.emplace_back([io = p->io.get()] {
      // A handler that throws must not end the mock's loop: say so and keep serving.
      while (true) {
        try {
          io->run();
          return;
        } catch (const std::exception& e) {
          std::cerr << "mock provider: a handler failed: " << e.what() << std::endl;
        }
      }
    });
  return std::unique_ptr<mock_provider>(new mock_provider(std::move(p)));
}

mock_provider::mock_provider(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

mock_provider::~mock_provider() {
  stop();
}

std::uint16_t mock_provider::port() const {
  return impl_->bound_port->load();
}

std::string mock_provider::base_url() const {
  return "http://" + impl_->url_host + ":" + std::to_string(port()) + "/v1";
}

void mock_provider::stop() {
  std::lock_guard lock{impl_->stop_mutex};
  if (impl_->threads.empty())
    return;
  // Close the acceptor on the loop (it may be accepting right now), then end the loop; open
  // streams and connections are dropped with it.
  auto& io = *impl_->io;
  impl_->server->close_async([&io] { io.stop(); }, [&io](const std::exception_ptr&) { io.stop(); });
  for (auto& t : impl_->threads)
    t.join();
  impl_->threads.clear();
  impl_->server.reset();
}

} // namespace chatd::mock
