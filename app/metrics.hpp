#pragma once

#include <string>

namespace chatd::http {
class provider_client;
}

namespace chatd::app {

/// The Prometheus text exposition of the service's counters.
std::string render_metrics(const http::provider_client& provider);

} // namespace chatd::app
