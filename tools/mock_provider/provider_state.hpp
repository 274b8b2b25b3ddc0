#pragma once
// What every route of one mock provider shares. Owned through a shared_ptr by the routes.

#include "tools/mock_provider/conversation_store.hpp"
#include "tools/mock_provider/fault_counters.hpp"
#include "tools/mock_provider/mock_provider.hpp"
#include "tools/mock_provider/request_log.hpp"

#include <restinio/asio_include.hpp>

namespace chatd::mock {

struct provider_state {
  provider_state(mock_options opts, restinio::asio_ns::io_context& loop)
      : options(std::move(opts)), io(loop) {}

  const mock_options options;
  restinio::asio_ns::io_context& io; ///< The server's loop: streams and waits put timers on it.
  conversation_store conversations;
  request_log log;
  fault_counters counters;
};

} // namespace chatd::mock
