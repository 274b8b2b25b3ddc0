// chatd: chat with a language model in the browser, each answer streamed as it is written.
// This file only assembles: settings, logging, the service, and the wait for a stop signal.

#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <sys/resource.h>
#include <thread>

#include <spdlog/spdlog.h>

#include "app/logging.hpp"
#include "app/service.hpp"
#include "config/settings_loader.hpp"

namespace {

/// What the stop signals' one reader tells main.
struct stop_request {
  std::mutex mtx;
  std::condition_variable arrived;
  bool started = false; ///< main serves: a stop signal now stops the service
  int signal = 0;
};

/// Reads the stop signals for the whole life of the process. One during start-up ends it at
/// once (nothing runs yet that a stop would save, and a start-up that hangs must not ignore
/// it); the first one after is main's to act on. Stopping must never hang either: a second
/// signal ends the process at once, and so does a stop that outlasts the drain by half a
/// minute (committed data is safe either way; what is still streaming is marked
/// `interrupted` at the next start).
void watch_stop_signals(sigset_t signals, std::shared_ptr<stop_request> request,
                        std::chrono::milliseconds limit) {
  std::thread([signals, request, limit] {
    int signal = 0;
    sigwait(&signals, &signal);
    {
      std::lock_guard<std::mutex> guard(request->mtx);
      if (!request->started) {
        std::fputs("chatd: a stop signal during start-up: exiting now\n", stderr);
        std::_Exit(1);
      }
      request->signal = signal;
    }
    request->arrived.notify_one();
    timespec wait{static_cast<time_t>(limit.count() / 1000),
                  static_cast<long>(limit.count() % 1000) * 1'000'000};
    int again = -1;
    do
      again = sigtimedwait(&signals, nullptr, &wait);
    while (again < 0 && errno == EINTR);
    std::fputs(again > 0 ? "chatd: a second stop signal: exiting now\n"
                         : "chatd: the stop takes too long: exiting now\n",
               stderr);
    std::_Exit(1);
  }).detach();
}

/// Lets the process open as many files as its hard limit allows: every open event stream takes
/// one descriptor for its client and often one for the provider, and a soft limit of 1 024
/// (a common default) would cap chatd at a few hundred streams.
void raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

} // namespace

int main(int argc, char** argv) {
  // Block the stop signals in every thread; one thread of main's reads them (below).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  // The terminal closing (a foreground run) stops chatd as gracefully as SIGTERM does.
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  raise_descriptor_limit();

  auto loaded = chatd::config::load_settings(
      std::vector<std::string>(argv + 1, argv + argc), [](const std::string& name) {
        const char* value = std::getenv(name.c_str());
        return value ? std::optional<std::string>(value) : std::nullopt;
      });
  if (auto* error = std::get_if<std::string>(&loaded)) {
    std::cerr << "chatd: " << *error << "\n";
    return 2;
  }
  auto& outcome = std::get<chatd::config::load_outcome>(loaded);
  if (outcome.help) {
    std::cout << chatd::config::settings_help();
    return 0;
  }
  auto& settings = outcome.values;
  chatd::app::configure_logging(settings.log_level);
  auto stop = std::make_shared<stop_request>();
  watch_stop_signals(stop_signals, stop, settings.drain_timeout + std::chrono::seconds(30));

  try {
    chatd::app::service service(settings);
    {
      // Before "listening" is printed: whoever waits for that line may stop the service next.
      std::lock_guard<std::mutex> guard(stop->mtx);
      stop->started = true;
    }
    if (service.demo_provider())
      spdlog::info("event=demo_provider url={} note=\"no OPENAI_API_KEY or OPENAI_BASE_URL: "
                   "answers come from the built-in mock provider\"",
                   service.provider_url());
    else
      spdlog::info("event=provider url={} model={}", service.provider_url(), settings.model);
    auto host = settings.listen.substr(0, settings.listen.rfind(':'));
    if (service.admin_port() != 0)
      std::cout << "chatd admin listening on "
                << settings.admin_listen.substr(0, settings.admin_listen.rfind(':')) << ":"
                << service.admin_port() << std::endl;
    std::cout << "chatd listening on http://" << host << ":" << service.port() << std::endl;
    {
      std::unique_lock<std::mutex> guard(stop->mtx);
      stop->arrived.wait(guard, [&] { return stop->signal != 0; });
    }
    spdlog::info("event=stopping signal={}", stop->signal);
    service.stop();
    spdlog::info("event=stopped");
    spdlog::shutdown();
  } catch (const std::exception& e) {
    std::cerr << "chatd: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
