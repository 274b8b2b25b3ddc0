#include "actors/admin.hpp"

#include <memory>

#include <caf/all.hpp>

#include "actors/clock.hpp"

namespace chatd::actors {

namespace {

using admin_ptr = admin_actor::stateful_pointer<admin_state>;

/// How long a conversation may take to describe itself before it is left out of a listing.
constexpr auto describe_timeout = std::chrono::seconds(2);

/// Collects the live answers of every conversation in memory, then answers `rp`.
void collect_streams(admin_ptr self, std::vector<conversation_actor> conversations,
                     caf::typed_response_promise<std::vector<stream_info>> rp) {
  struct gathering {
    std::vector<stream_info> streams;
    std::size_t pending;
  };
  auto g = std::make_shared<gathering>(gathering{{}, conversations.size()});
  if (conversations.empty()) {
    rp.deliver(std::vector<stream_info>{});
    return;
  }
  auto one_done = [g, rp]() mutable {
    if (--g->pending == 0)
      rp.deliver(std::move(g->streams));
  };
  for (auto& c : conversations)
    self->request(c, describe_timeout, inspect_atom::value)
        .then(
            [g, one_done](conversation_info& info) mutable {
              for (auto& s : info.streams)
                g->streams.push_back(std::move(s));
              one_done();
            },
            [one_done](caf::error&) mutable { one_done(); });
}

/// The parts of a service status, asked of four actors at once; answers when all four have
/// come, or with the first error.
struct status_gathering {
  caf::typed_response_promise<service_status> rp;
  service_status out;
  int missing;

  void part_done() {
    if (--missing == 0 && rp.pending())
      rp.deliver(out);
  }
  void fail(const caf::error& err) {
    if (rp.pending())
      rp.deliver(err);
  }
};

} // namespace

admin_actor::behavior_type admin(admin_ptr self, admin_deps deps) {
  self->state.deps = std::move(deps);
  return {
      [self](streams_atom) -> caf::result<std::vector<stream_info>> {
        auto rp = self->make_response_promise<std::vector<stream_info>>();
        self->request(self->state.deps.registry, describe_timeout, status_atom::value)
            .then([self, rp](registry_status& st) { collect_streams(self, st.conversations, rp); },
                  [rp](caf::error& err) mutable { rp.deliver(err); });
        return rp;
      },
      [self](inspect_atom, std::string& id) -> caf::result<conversation_info> {
        return self->delegate(self->state.deps.registry, inspect_atom::value, std::move(id));
      },
      [self](stop_atom, std::string& message_id) -> caf::result<std::string> {
        auto rp = self->make_response_promise<std::string>();
        self->request(self->state.deps.registry, caf::infinite, admin_stop_cmd{message_id})
            .then(
                [rp](domain::message_record& m) mutable {
                  rp.deliver(std::string(domain::to_string(m.status)));
                },
                [rp](caf::error& err) mutable { rp.deliver(err); });
        return rp;
      },
      [self](status_atom) -> caf::result<service_status> {
        auto g = std::make_shared<status_gathering>(
            status_gathering{self->make_response_promise<service_status>(), {}, 4});
        auto fail = [g](caf::error& err) { g->fail(err); };
        auto& d = self->state.deps;
        self->request(d.registry, describe_timeout, status_atom::value)
            .then(
                [g](registry_status& r) {
                  g->out.conversations_in_memory = r.conversations.size();
                  g->out.streams_open = r.streams;
                  g->out.registry_mailbox = r.mailbox;
                  g->part_done();
                },
                fail);
        self->request(d.supervisor, describe_timeout, status_atom::value)
            .then(
                [g](supervisor_status& s) {
                  g->out.upstreams_running = s.children;
                  g->out.supervisor_restarts = s.restarts;
                  g->out.supervisor_failures = s.failures;
                  g->out.supervisor_mailbox = s.mailbox;
                  g->out.provider_down_for_ms = std::max<std::int64_t>(0, s.down_until - now_ms());
                  g->part_done();
                },
                fail);
        self->request(d.writer, describe_timeout, status_atom::value)
            .then(
                [g](storage_status& w) {
                  g->out.storage_queue = w.queue;
                  g->out.storage_commits = w.commits;
                  g->part_done();
                },
                fail);
        self->request(d.provider, describe_timeout, status_atom::value)
            .then(
                [g](std::uint64_t transfers) {
                  g->out.provider_transfers = transfers;
                  g->part_done();
                },
                fail);
        return g->rp;
      },
  };
}

provider_monitor_actor::behavior_type provider_monitor(std::function<std::uint64_t()> count) {
  return {
      [count](status_atom) { return count(); },
  };
}

} // namespace chatd::actors
