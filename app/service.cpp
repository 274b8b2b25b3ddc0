#include "app/service.hpp"

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <caf/scheduler/coordinator.hpp>
#include <soci/soci.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include "actors/accounts.hpp"
#include "actors/admin.hpp"
#include "actors/clock.hpp"
#include "actors/local_first_sharing.hpp"
#include "actors/password_hasher.hpp"
#include "actors/registry.hpp"
#include "actors/storage_reader.hpp"
#include "actors/storage_writer.hpp"
#include "actors/supervisor.hpp"
#include "app/metrics.hpp"
#include "http/provider_client.hpp"
#include "http/restinio_channel.hpp"
#include "http/routes.hpp"
#include "http/server.hpp"
#include "storage/conversations_repository.hpp"
#include "storage/database_lock.hpp"
#include "storage/migrations.hpp"
#include "tools/mock_provider/mock_provider.hpp"

namespace chatd::app {

namespace {

std::unique_ptr<caf::actor_system_config> make_actor_config(const config::settings& s) {
  auto cfg = std::make_unique<caf::actor_system_config>();
  actors::register_admin_types(*cfg);
  if (!s.admin_listen.empty())
    cfg->load<caf::io::middleman>();
  // Half the cores by default: every relayed chunk also costs the HTTP and provider threads
  // about as much as the actors (see bench/README.md), so more workers only contend.
  auto threads = s.scheduler_threads > 0 ? s.scheduler_threads
                                         : std::max(1u, std::thread::hardware_concurrency() / 2);
  cfg->set("scheduler.max-threads", threads);
  if (threads == 1) {
    // One worker has nobody to steal from: a single queue with a condition variable serves it
    // with less overhead than work stealing's polling (bench/README.md: 12 % less CPU per
    // chunk at 2 000 chunks/s, a shorter tail at 20 000), served local jobs first.
    cfg->load<caf::scheduler::coordinator<actors::local_first_sharing>>();
  } else {
    // An idle worker polls its queue before it sleeps; CAF's default is 500 sleeps of 50 µs
    // after every message, which at 20 chunks a second keeps a core busy doing nanosleep.
    // Messages from outside the scheduler (the provider loop, the HTTP threads) wake a
    // sleeping worker at once anyway, so a short spin then a real sleep loses no latency.
    cfg->set("work-stealing.aggressive-poll-attempts", 50);
    cfg->set("work-stealing.moderate-poll-attempts", 0);
  }
  return cfg;
}

/// Prepares the database before any actor touches it: schema, then crash recovery.
void prepare_database(const storage::database_options& opts) {
  auto sql = storage::open_database(opts);
  storage::migrate(*sql);
  auto interrupted = storage::conversations_repository(*sql).interrupt_streaming(actors::now_ms());
  if (interrupted > 0)
    spdlog::warn("event=recovery answers_marked_interrupted={}", interrupted);
}

/// A hash of a random password: what unknown-user logins are checked against.
std::string make_dummy_hash() {
  char out[crypto_pwhash_STRBYTES];
  unsigned char random[32];
  randombytes_buf(random, sizeof random);
  if (crypto_pwhash_str(out, reinterpret_cast<const char*>(random), sizeof random,
                        crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw std::runtime_error("cannot hash: out of memory");
  return out;
}

/// Publishes the admin actor on `listen` (host:port, port 0 picks one); returns the port.
std::uint16_t publish_admin(caf::actor_system& sys, const actors::admin_actor& admin,
                            const std::string& listen) {
  auto colon = listen.rfind(':');
  auto host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[')
    host = host.substr(1, host.size() - 2);
  auto port = static_cast<std::uint16_t>(std::stoi(listen.substr(colon + 1)));
  auto bound = sys.middleman().publish(admin, port, host.c_str(), true);
  if (!bound)
    throw std::runtime_error("cannot publish the admin actor on " + listen + ": " +
                             sys.render(bound.error()));
  return *bound;
}

} // namespace

struct service::parts {
  config::settings settings;
  std::unique_ptr<mock::mock_provider> demo;
  std::unique_ptr<storage::database_lock> db_lock; ///< held while this service uses the file
  std::string db_path;
  std::optional<storage::file_identity> db_identity; ///< the file opened at start
  std::atomic<bool> db_replaced_logged{false};
  std::string provider_url;
  std::unique_ptr<caf::actor_system_config> actor_config;
  std::unique_ptr<caf::actor_system> own_system; ///< empty when embedded in another's
  caf::actor_system* system = nullptr;
  std::unique_ptr<http::provider_client> provider;
  actors::storage_writer_actor writer;
  std::shared_ptr<actors::storage_health> storage_health =
      std::make_shared<actors::storage_health>();
  actors::storage_reader_actor reader;
  actors::password_hasher_actor hasher;
  actors::accounts_actor accounts;
  actors::supervisor_actor supervisor;
  actors::registry_actor registry;
  actors::provider_monitor_actor provider_monitor;
  actors::admin_actor admin;
  std::uint16_t admin_port = 0;
  std::unique_ptr<http::http_server> server;
  std::atomic<bool> ready{false};
  bool stopped = false;
};

service::service(config::settings settings, caf::actor_system* embedding)
    : parts_(std::make_unique<parts>()) {
  auto& p = *parts_;
  p.settings = std::move(settings);
  auto& s = p.settings;
  if (sodium_init() < 0)
    throw std::runtime_error("libsodium failed to initialise");

  // The provider: the configured one, or the built-in demo when none is.
  std::string api_key = s.openai_api_key;
  p.provider_url = s.openai_base_url;
  if (s.demo_provider()) {
    p.demo = mock::mock_provider::start(mock::mock_options{});
    p.provider_url = p.demo->base_url();
    api_key = "demo";
  }

  // A mistyped UI folder would otherwise show up only as a JSON 404 in the browser.
  if (!s.static_dir.empty() &&
      !std::filesystem::is_regular_file(std::filesystem::path(s.static_dir) / "index.html"))
    throw std::runtime_error("the browser UI folder " + s.static_dir +
                             " (static_dir) has no index.html; build the UI or fix the path");
  storage::database_options db{storage::sqlite_path_from_url(s.database), s.sqlite_synchronous,
                               s.sqlite_busy_timeout};
  try {
    p.db_lock = std::make_unique<storage::database_lock>(db.path);
    prepare_database(db);
    p.db_path = db.path;
    p.db_identity = storage::identity_of(db.path);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot open the database " + db.path + ": " + e.what());
  }

  if (embedding) {
    p.system = embedding;
    if (!s.admin_listen.empty() && !p.system->has_middleman())
      throw std::runtime_error(
          "admin_listen needs caf::io::middleman loaded into the actor system");
  } else {
    p.actor_config = make_actor_config(s);
    p.own_system = std::make_unique<caf::actor_system>(*p.actor_config);
    p.system = p.own_system.get();
  }
  p.provider = std::make_unique<http::provider_client>();
  try {
    start_actors(p, db, api_key);
    start_serving(p);
  } catch (...) {
    // ~service does not run when its constructor throws: take down what did start here, or
    // the actor system's destructor waits forever for the actors it still holds (and main,
    // with the stop signals blocked, could then not even be interrupted).
    stop();
    throw;
  }
  p.ready = true;
}

void service::start_serving(parts& p) {
  auto& s = p.settings;
  auto& sys = *p.system;
  auto deps = std::make_shared<http::route_deps>();
  deps->system = &sys;
  deps->accounts = p.accounts;
  deps->registry = p.registry;
  deps->reader = p.reader;
  deps->writer = p.writer;
  deps->settings = s;
  deps->settings.openai_api_key.clear(); // routes never need it
  deps->ready = [&p] { return p.ready.load(); };
  deps->database_problem = [&p]() -> std::optional<std::string> {
    if (p.storage_health->writes_failing.load())
      return "the database refuses changes (locked by another process, or the disk is full): "
             "see the log";
    if (storage::identity_of(p.db_path) != p.db_identity) {
      if (!p.db_replaced_logged.exchange(true))
        spdlog::error("event=database_file_replaced path={} note=\"changes go to the deleted "
                      "file; restart chatd\"",
                      p.db_path);
      return "the database file was deleted or replaced while chatd ran: restart chatd";
    }
    return std::nullopt;
  };
  deps->metrics = [&p] { return render_metrics(*p.provider); };
  p.server = std::make_unique<http::http_server>(s, http::make_router(deps));
  if (!s.admin_listen.empty())
    p.admin_port = publish_admin(sys, p.admin, s.admin_listen);
}

void service::start_actors(parts& p, const storage::database_options& db,
                           const std::string& api_key) {
  auto& s = p.settings;
  auto& sys = *p.system;
  p.writer = actors::spawn_storage_writer(sys, db, p.storage_health);
  p.reader = actors::spawn_storage_readers(sys, db, 2);
  p.hasher = actors::spawn_password_hashers(sys, 1);
  actors::accounts_config accounts_cfg{s.session_idle_timeout, s.session_lifetime, {}};
  accounts_cfg.login_limits.per_pair = s.login_limit_per_address;
  accounts_cfg.login_limits.per_account = s.login_limit_per_account;
  p.accounts =
      sys.spawn(actors::accounts, accounts_cfg, p.reader, p.writer, p.hasher, make_dummy_hash());

  auto upstream_cfg = std::make_shared<actors::upstream_config>();
  upstream_cfg->base_url = p.provider_url;
  upstream_cfg->api_key = api_key;
  upstream_cfg->retry.max_retries = s.provider_max_retries;
  upstream_cfg->retry.base_delay = s.provider_retry_base_delay;
  upstream_cfg->connect_timeout = s.provider_connect_timeout;
  upstream_cfg->first_byte_timeout = s.provider_first_byte_timeout;
  upstream_cfg->idle_timeout = s.provider_idle_timeout;
  upstream_cfg->request_timeout = s.provider_request_timeout;
  upstream_cfg->client = p.provider.get();
  p.supervisor = sys.spawn(actors::supervisor,
                           actors::supervisor_config{s.breaker_threshold, s.breaker_window},
                           std::shared_ptr<const actors::upstream_config>(upstream_cfg));

  actors::registry_config registry_cfg;
  registry_cfg.conversation.model = s.model;
  registry_cfg.conversation.checkpoint_interval = s.checkpoint_interval;
  registry_cfg.max_streams_per_user = s.max_streams_per_user;
  registry_cfg.max_streams_total = s.max_streams_total;
  p.registry = sys.spawn(actors::registry, registry_cfg, p.reader, p.writer, p.supervisor);
  caf::anon_send(p.supervisor, p.registry);

  auto* provider = p.provider.get();
  p.provider_monitor =
      sys.spawn(actors::provider_monitor,
                std::function<std::uint64_t()>([provider] { return provider->active(); }));
  p.admin = sys.spawn(actors::admin,
                      actors::admin_deps{p.registry, p.supervisor, p.writer, p.provider_monitor});

  // Named in CAF's registry, so that tools (and embedding programs) can find them.
  auto& names = sys.registry();
  names.put(caf::atom("registry"), caf::actor_cast<caf::strong_actor_ptr>(p.registry));
  names.put(caf::atom("supervisor"), caf::actor_cast<caf::strong_actor_ptr>(p.supervisor));
  names.put(caf::atom("storage"), caf::actor_cast<caf::strong_actor_ptr>(p.writer));
  names.put(caf::atom("accounts"), caf::actor_cast<caf::strong_actor_ptr>(p.accounts));
  names.put(caf::atom("provider"), caf::actor_cast<caf::strong_actor_ptr>(p.provider_monitor));
  names.put(caf::atom("admin"), caf::actor_cast<caf::strong_actor_ptr>(p.admin));
}

service::~service() {
  stop();
}

std::uint16_t service::port() const {
  return parts_->server->port();
}

std::uint16_t service::admin_port() const {
  return parts_->admin_port;
}

const std::string& service::provider_url() const {
  return parts_->provider_url;
}

bool service::demo_provider() const {
  return parts_->demo != nullptr;
}

caf::actor_system& service::system() {
  return *parts_->system;
}

actors::registry_actor service::registry() const {
  return parts_->registry;
}

void service::stop() {
  auto& p = *parts_;
  if (p.stopped)
    return;
  p.stopped = true;
  p.ready = false;
  auto deadline = actors::now_ms() + p.settings.drain_timeout.count();
  {
    caf::scoped_actor self{*p.system};
    self->request(p.registry, p.settings.drain_timeout + std::chrono::seconds(5),
                  actors::drain_cmd{deadline})
        .receive([](bool) {}, [](caf::error&) {});
  }
  // Let the last frames, `shutting_down` errors and 503 answers reach the sockets.
  for (int i = 0; i < 200 && http::open_responses() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (p.server) // absent when the service failed to start
    p.server->stop();
  if (p.admin_port != 0)
    p.system->middleman().unpublish(p.admin, p.admin_port);
  auto& names = p.system->registry();
  for (auto name : {"registry", "supervisor", "storage", "accounts", "provider", "admin"})
    names.erase(caf::atom_from_string(name));
  {
    caf::scoped_actor self{*p.system};
    for (auto handle :
         {caf::actor_cast<caf::actor>(p.admin), caf::actor_cast<caf::actor>(p.provider_monitor),
          caf::actor_cast<caf::actor>(p.registry), caf::actor_cast<caf::actor>(p.supervisor),
          caf::actor_cast<caf::actor>(p.accounts), caf::actor_cast<caf::actor>(p.reader),
          caf::actor_cast<caf::actor>(p.hasher)})
      self->send_exit(handle, caf::exit_reason::user_shutdown);
    self->request(p.writer, std::chrono::seconds(10), actors::close_atom::value)
        .receive([](bool) {}, [](caf::error&) {});
  }
  p.provider->stop();
  if (p.own_system) {
    p.own_system.reset();
  }
  if (p.demo)
    p.demo->stop();
  if (p.db_lock) // the database is closed: another chatd may have it now
    p.db_lock->release();
}

} // namespace chatd::app
