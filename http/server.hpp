#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "config/settings.hpp"
#include "http/routes.hpp"

namespace chatd::http {

/// The HTTP server: RESTinio on its own asio event loop and threads. Handlers never block;
/// long work is handed to actors, which answer through response channels.
class http_server {
public:
  /// Binds `settings.listen` and starts serving; throws std::runtime_error when it cannot.
  http_server(const config::settings& settings, std::unique_ptr<router_type> router);
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// The bound port (useful with port 0).
  std::uint16_t port() const { return port_; }

  /// Stops accepting, closes connections and joins the threads. Idempotent.
  void stop();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
  std::uint16_t port_ = 0;
};

} // namespace chatd::http
