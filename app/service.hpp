#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "config/settings.hpp"

namespace caf {
class actor_system;
}

namespace chatd::app {

/// The whole service, assembled: database, actors, provider loop, HTTP server, and (without a
/// provider configured) the built-in demo provider. Construction starts it; a failure to start
/// throws std::runtime_error with a message for the operator.
class service {
public:
  explicit service(config::settings settings);
  ~service();
  service(const service&) = delete;
  service& operator=(const service&) = delete;

  /// The HTTP port actually bound.
  std::uint16_t port() const;

  /// The provider's base URL in use (the demo provider's when it runs).
  const std::string& provider_url() const;
  bool demo_provider() const;

  /// The actor system, for programs that embed chatd.
  caf::actor_system& system();

  /// Graceful stop: refuse new turns, let running ones finish until the drain timeout, store
  /// the rest as `interrupted`, flush the streams, close the database. Idempotent.
  void stop();

private:
  struct parts;
  std::unique_ptr<parts> parts_;
};

} // namespace chatd::app
