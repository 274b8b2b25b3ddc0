#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_set>

#include <restinio/connection_state_listener.hpp>
#include <restinio/ip_blocker.hpp>

namespace chatd::http {

/// Caps the HTTP connections open at once, so that the server never runs out of file
/// descriptors. RESTinio 0.6's acceptor stops accepting for good after an accept that fails
/// (EMFILE included): one burst of idle connections over the process's limit would leave the
/// service unreachable. Over the cap a new connection is closed as soon as it is accepted; the
/// descriptor it took is free again at once, and the ones under the cap keep being served.
///
/// RESTinio calls it as its IP blocker (before a connection is served) and as its connection
/// state listener (when one is served, and when one is closed).
class connection_gate {
public:
  explicit connection_gate(std::size_t cap) : cap_(cap) {}

  restinio::ip_blocker::inspection_result_t
  inspect(const restinio::ip_blocker::incoming_info_t&) noexcept {
    std::lock_guard<std::mutex> guard(mtx_);
    return open_.size() < cap_ ? restinio::ip_blocker::allow() : restinio::ip_blocker::deny();
  }

  void state_changed(const restinio::connection_state::notice_t& notice) noexcept {
    // A set, not a counter: RESTinio may report one connection's close more than once.
    std::lock_guard<std::mutex> guard(mtx_);
    try {
      if (restinio::holds_alternative<restinio::connection_state::accepted_t>(notice.cause()))
        open_.insert(notice.connection_id());
      else if (restinio::holds_alternative<restinio::connection_state::closed_t>(notice.cause()))
        open_.erase(notice.connection_id());
    } catch (const std::bad_alloc&) {
      // Not counted: the cap is then a little higher, which is all.
    }
  }

private:
  const std::size_t cap_;
  std::mutex mtx_;
  std::unordered_set<std::uint64_t> open_;
};

/// How many HTTP connections fit in `descriptors` (the process's limit): half of what is left
/// after a reserve for the database and the like, since every open event stream may also hold
/// a connection to the provider.
inline std::size_t connection_cap(std::size_t descriptors) {
  constexpr std::size_t reserve = 64;
  constexpr std::size_t at_least = 16;
  return descriptors > reserve + 2 * at_least ? (descriptors - reserve) / 2 : at_least;
}

} // namespace chatd::http
