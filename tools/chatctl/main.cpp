// chatctl: looks inside a running chatd through its admin actor (CAF remote actors).
//
//   chatctl [--admin HOST:PORT] streams            every answer being written now
//   chatctl [--admin HOST:PORT] conversation ID    one conversation actor in memory
//   chatctl [--admin HOST:PORT] stop MESSAGE_ID    stop an answer, as its owner could
//   chatctl [--admin HOST:PORT] status             counters and queue depths
//
// The admin address comes from --admin, else CHATD_ADMIN, else 127.0.0.1:9090.

#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include "actors/admin_messages.hpp"

namespace {

using namespace chatd::actors;

const char* const usage_text =
    "usage: chatctl [--admin HOST:PORT] COMMAND\n"
    "\n"
    "  streams            every answer being written now\n"
    "  conversation ID    one conversation actor in memory\n"
    "  stop MESSAGE_ID    stop an answer, as its owner could\n"
    "  status             counters and queue depths\n"
    "\n"
    "The admin address is chatd's admin_listen setting (--admin-listen); chatctl takes it\n"
    "from --admin, else CHATD_ADMIN, else 127.0.0.1:9090.\n";

int usage() {
  std::cerr << usage_text;
  return 2;
}

/// Whether `args` is a command chatctl knows, with the number of arguments it takes.
bool is_command(const std::vector<std::string>& args) {
  if (args.empty())
    return false;
  const auto& c = args[0];
  return ((c == "streams" || c == "status") && args.size() == 1) ||
         ((c == "conversation" || c == "stop") && args.size() == 2);
}

void print_streams(const std::vector<stream_info>& streams) {
  std::cout << std::left << std::setw(36) << "CONVERSATION" << std::setw(36) << "USER"
            << std::setw(36) << "ANSWER" << std::setw(11) << "STATE" << std::right << std::setw(9)
            << "AGE_MS" << std::setw(8) << "CHUNKS" << std::setw(8) << "WRITERS"
            << "  FALLBACK\n";
  for (auto& s : streams)
    std::cout << std::left << std::setw(36) << s.conversation_id << std::setw(36) << s.user_id
              << std::setw(36) << s.answer_id << std::setw(11) << s.state << std::right
              << std::setw(9) << s.age_ms << std::setw(8) << s.chunks << std::setw(8)
              << s.sse_writers << "  " << (s.fallback ? "yes" : "no") << "\n";
  std::cout << streams.size() << " open stream" << (streams.size() == 1 ? "" : "s") << "\n";
}

void print_conversation(const conversation_info& c) {
  if (!c.found) {
    std::cout << "conversation " << c.conversation_id << " is not in memory\n";
    return;
  }
  std::cout << "conversation " << c.conversation_id << "\n  user     " << c.user_id
            << "\n  title    " << c.title << "\n  live     " << (c.live ? "yes" : "no")
            << "\n  idle_ms  " << c.idle_ms << "\n  mailbox  " << c.mailbox << "\n";
  if (!c.streams.empty())
    print_streams(c.streams);
}

void print_status(const service_status& s) {
  std::cout << "conversations_in_memory " << s.conversations_in_memory << "\n"
            << "streams_open            " << s.streams_open << "\n"
            << "upstreams_running       " << s.upstreams_running << "\n"
            << "provider_transfers      " << s.provider_transfers << "\n"
            << "supervisor_restarts     " << s.supervisor_restarts << "\n"
            << "supervisor_failures     " << s.supervisor_failures << "\n"
            << "provider_down_for_ms    " << s.provider_down_for_ms << "\n"
            << "registry_mailbox        " << s.registry_mailbox << "\n"
            << "supervisor_mailbox      " << s.supervisor_mailbox << "\n"
            << "storage_queue           " << s.storage_queue << "\n"
            << "storage_commits         " << s.storage_commits << "\n";
}

} // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string address = std::getenv("CHATD_ADMIN") ? std::getenv("CHATD_ADMIN") : "127.0.0.1:9090";
  if (args.size() >= 2 && args[0] == "--admin") {
    address = args[1];
    args.erase(args.begin(), args.begin() + 2);
  }
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h" || args[0] == "help")) {
    std::cout << usage_text;
    return 0;
  }
  // Checked before connecting: a typo gets the usage, not a connection error.
  if (!is_command(args))
    return usage();
  auto colon = address.rfind(':');
  if (colon == std::string::npos)
    return usage();
  auto host = address.substr(0, colon);
  auto port = static_cast<std::uint16_t>(std::atoi(address.c_str() + colon + 1));

  caf::actor_system_config cfg;
  register_admin_types(cfg);
  cfg.load<caf::io::middleman>();
  cfg.set("logger.console", caf::atom("none"));
  caf::actor_system sys{cfg};
  auto admin = caf::io::remote_actor<admin_actor>(sys, host, port);
  if (!admin) {
    std::cerr << "chatctl: cannot reach chatd's admin actor at " << address << ": "
              << sys.render(admin.error()) << "\n";
    return 1;
  }
  caf::scoped_actor self{sys};
  int rc = 0;
  auto fail = [&](caf::error& err) {
    std::cerr << "chatctl: " << sys.render(err) << "\n";
    rc = 1;
  };
  constexpr auto timeout = std::chrono::seconds(10);
  const auto& command = args[0];
  if (command == "streams")
    self->request(*admin, timeout, streams_atom::value).receive(print_streams, fail);
  else if (command == "conversation")
    self->request(*admin, timeout, inspect_atom::value, args[1]).receive(print_conversation, fail);
  else if (command == "stop")
    self->request(*admin, timeout, stop_atom::value, args[1])
        .receive([&](std::string& status) { std::cout << args[1] << " " << status << "\n"; }, fail);
  else
    self->request(*admin, timeout, status_atom::value).receive(print_status, fail);
  return rc;
}
