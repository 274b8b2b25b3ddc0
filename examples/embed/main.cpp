// A program with its own CAF actor system runs chatd inside it and talks to a conversation
// actor directly by typed messages: it registers a user through the accounts actor, starts a
// turn through the registry with a subscriber actor of its own, and prints the answer as it
// streams. chatd's HTTP routes serve in the same process meanwhile.
//
//   embed_example <database file>        (uses chatd's demo provider: no key needed)

#include <iostream>

#include <caf/all.hpp>

#include <chatd/chatd.hpp>

using namespace chatd;

namespace {

/// Prints each event of the answer; tells `done` how the turn ended.
actors::subscriber_actor::behavior_type printer(actors::subscriber_actor::pointer self,
                                                caf::actor done) {
  return {
      [](actors::stream_frame& frame) { std::cout << *frame.bytes << std::flush; },
      [self, done](actors::turn_outcome& outcome) {
        caf::anon_send(done, !outcome.failed, outcome.assistant_message.content);
        self->quit();
      },
  };
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: embed_example <database file>\n";
    return 2;
  }
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};

  config::settings settings;
  settings.listen = "127.0.0.1:0";
  settings.database = std::string("sqlite://") + argv[1];
  settings.log_level = "warn";
  app::service service{settings, &sys};
  std::cout << "chatd runs inside this program, HTTP on port " << service.port() << "\n";

  caf::scoped_actor self{sys};
  auto accounts =
      caf::actor_cast<actors::accounts_actor>(sys.registry().get(caf::atom("accounts")));
  domain::user_record user;
  self->request(accounts, std::chrono::seconds(10),
                actors::register_cmd{"embedder", "a long password"})
      .receive([&](actors::login_result& r) { user = r.user; },
               [&](caf::error& err) { std::cerr << "register: " << sys.render(err) << "\n"; });
  if (user.id.empty())
    return 1;

  auto subscriber = sys.spawn(printer, caf::actor{self});
  actors::start_turn_cmd turn;
  turn.user_id = user.id;
  turn.text = "Hello from a program that embeds chatd";
  turn.request_id = "embed-1";
  bool started = false;
  self->request(service.registry(), std::chrono::seconds(10), turn, subscriber)
      .receive(
          [&](actors::turn_started& t) {
            started = true;
            std::cout << "turn started in conversation " << t.conversation_id << "\n";
          },
          [&](caf::error& err) { std::cerr << "start: " << sys.render(err) << "\n"; });
  if (!started)
    return 1;

  bool complete = false;
  std::string answer;
  self->receive([&](bool ok, std::string& text) {
    complete = ok;
    answer = text;
  });
  std::cout << "\nanswer stored: " << answer << "\n";
  service.stop();
  return complete && answer.find(turn.text) != std::string::npos ? 0 : 1;
}
