// The scheduler policy over a real one-worker CAF scheduler: which runnable actor goes next.

#include "actors/local_first_sharing.hpp"

#include <caf/all.hpp>
#include <caf/scheduler/coordinator.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <vector>

namespace {

using go_atom = caf::atom_constant<caf::atom("go")>;

/// The names of the actors in the order the worker ran them.
class run_order {
public:
  void add(std::string name) {
    std::lock_guard<std::mutex> guard(mtx_);
    names_.push_back(std::move(name));
    changed_.notify_all();
  }

  /// The order once `n` actors have run (or what ran within 10 s).
  std::vector<std::string> wait_for(std::size_t n) {
    std::unique_lock<std::mutex> guard(mtx_);
    changed_.wait_for(guard, std::chrono::seconds(10), [&] { return names_.size() >= n; });
    return names_;
  }

private:
  std::mutex mtx_;
  std::condition_variable changed_;
  std::vector<std::string> names_;
};

/// Notes its name when it runs; forwards `go` to `next` when it has one.
caf::behavior named(caf::event_based_actor* self, std::string name, run_order* order,
                    caf::actor next) {
  return {[=](go_atom) {
    order->add(name);
    if (next)
      self->send(next, go_atom::value);
  }};
}

/// Runs `scenario` on an actor system whose one worker uses `Policy`; returns the run order.
/// The worker is held by a gate actor until every outside message is queued, so that the
/// queue's order alone decides what runs next.
template<class Policy> std::vector<std::string> order_under() {
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", 1);
  cfg.load<caf::scheduler::coordinator<Policy>>();
  caf::actor_system sys{cfg};
  run_order order;
  std::promise<void> open;
  auto opened = open.get_future().share();
  auto gate = sys.spawn([opened](caf::event_based_actor*) -> caf::behavior {
    return {[opened](go_atom) { opened.wait(); }}; // holds the only worker until opened
  });
  // "upstream" hands on to "writer"; "next chunk" comes from outside after "upstream".
  auto writer = sys.spawn(named, std::string("writer"), &order, caf::actor{});
  auto upstream = sys.spawn(named, std::string("upstream"), &order, writer);
  auto next_chunk = sys.spawn(named, std::string("next chunk"), &order, caf::actor{});
  caf::anon_send(gate, go_atom::value);
  caf::anon_send(upstream, go_atom::value);
  caf::anon_send(next_chunk, go_atom::value);
  open.set_value();
  return order.wait_for(3);
}

} // namespace

TEST_CASE("an actor woken by another actor runs before the jobs queued from outside",
          "[actors][scheduler]") {
  CHECK(order_under<chatd::actors::local_first_sharing>() ==
        std::vector<std::string>{"upstream", "writer", "next chunk"});
}

TEST_CASE("CAF's plain work sharing runs it after them (what local-first changes)",
          "[actors][scheduler]") {
  CHECK(order_under<caf::policy::work_sharing>() ==
        std::vector<std::string>{"upstream", "next chunk", "writer"});
}
