#include "app/metrics.hpp"

#include "actors/metrics.hpp"
#include "http/provider_client.hpp"

namespace chatd::app {

std::string render_metrics(const http::provider_client& provider) {
  std::string out = actors::metrics().render();
  out += "# HELP chatd_provider_transfers_active Provider calls in flight.\n"
         "# TYPE chatd_provider_transfers_active gauge\n"
         "chatd_provider_transfers_active " +
         std::to_string(provider.active()) + "\n";
  return out;
}

} // namespace chatd::app
