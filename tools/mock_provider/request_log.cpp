#include "tools/mock_provider/request_log.hpp"

#include <atomic>
#include <utility>

namespace chatd::mock {

struct request_log::waiter {
  explicit waiter(restinio::asio_ns::io_context& io) : timer(io) {}

  /// Whoever flips this first (a record or the timer) answers; the other does nothing. The
  /// timer is never cancelled from another thread, which asio would not allow.
  bool claim() { return !answered.exchange(true); }

  std::size_t count = 0;
  restinio::asio_ns::steady_timer timer;
  std::atomic<bool> answered{false};
  std::function<void(std::string)> reply;
};

void request_log::record(bool stream, nlohmann::json body, nlohmann::json headers) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  std::vector<std::shared_ptr<waiter>> ready;
  std::string snapshot;
  {
    std::lock_guard lock{mutex_};
    ++total_;
    entries_.push_back({
        {"seq", total_},
        {"received_at_ms", std::chrono::duration_cast<std::chrono::milliseconds>(now).count()},
        {"stream", stream},
        {"body", std::move(body)},
        {"headers", std::move(headers)},
    });
    while (entries_.size() > keep_)
      entries_.pop_front();
    std::vector<std::weak_ptr<waiter>> still_waiting;
    for (auto& weak : waiters_) {
      auto w = weak.lock();
      if (!w || w->answered)
        continue;
      if (total_ >= w->count)
        ready.push_back(std::move(w));
      else
        still_waiting.push_back(std::move(weak));
    }
    waiters_.swap(still_waiting);
    if (!ready.empty())
      snapshot = snapshot_locked();
  }
  for (auto& w : ready)
    if (w->claim())
      std::exchange(w->reply, nullptr)(snapshot);
}

void request_log::wait_for(restinio::asio_ns::io_context& io, std::size_t count,
                           std::chrono::milliseconds timeout,
                           std::function<void(std::string)> reply) {
  std::unique_lock lock{mutex_};
  if (total_ >= count || timeout.count() <= 0) {
    auto snapshot = snapshot_locked();
    lock.unlock();
    reply(std::move(snapshot));
    return;
  }
  auto w = std::make_shared<waiter>(io);
  w->count = count;
  w->reply = std::move(reply);
  waiters_.push_back(w);
  w->timer.expires_after(timeout);
  w->timer.async_wait([this, w](const std::error_code&) {
    if (!w->claim())
      return;
    std::string snapshot;
    {
      std::lock_guard lock{mutex_};
      snapshot = snapshot_locked();
    }
    std::exchange(w->reply, nullptr)(std::move(snapshot));
  });
}

void request_log::reset() {
  std::lock_guard lock{mutex_};
  entries_.clear();
  total_ = 0;
}

std::string request_log::snapshot_locked() const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : entries_)
    list.push_back(e);
  // `replace`: a raw body that was not even UTF-8 must not make the log unreadable.
  return nlohmann::json{{"requests", std::move(list)}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace chatd::mock
