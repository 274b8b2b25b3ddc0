#include "actors/accounts.hpp"

#include <optional>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/clock.hpp"
#include "actors/errors.hpp"
#include "actors/session_tokens.hpp"

namespace chatd::actors {

namespace {

using namespace chatd::domain;

constexpr auto infinite = caf::infinite;

/// How long a session read from the database is trusted without reading it again.
constexpr unix_ms session_cache_ttl = 10'000;
/// Entries kept before stale ones are swept. A sweep is linear, and right after one nothing is
/// stale for another TTL, so sweeps are at least a TTL apart.
constexpr std::size_t session_cache_sweep_at = 10'000;

/// The cached session for `token_hash`, if it may still be used at `now`.
session_info* cached_session(accounts_state& st, const std::string& token_hash, unix_ms now,
                             unix_ms idle_ms) {
  auto it = st.sessions.find(token_hash);
  if (it == st.sessions.end())
    return nullptr;
  auto& s = it->second.info;
  bool fresh = now - it->second.read_at < session_cache_ttl && now < s.expires_at &&
               (s.kind != session_kind::cookie || now - s.last_seen_at < idle_ms);
  if (!fresh) {
    st.sessions.erase(it);
    return nullptr;
  }
  return &s;
}

void remember_session(accounts_state& st, const std::string& token_hash, session_info s,
                      unix_ms now) {
  if (st.sessions.size() >= session_cache_sweep_at &&
      now - st.sessions_swept_at >= session_cache_ttl) {
    for (auto it = st.sessions.begin(); it != st.sessions.end();)
      it = now - it->second.read_at >= session_cache_ttl ? st.sessions.erase(it) : std::next(it);
    st.sessions_swept_at = now;
  }
  st.sessions[token_hash] = {std::move(s), now};
}

/// Notes a use of the session at most once a minute (or a quarter of a shorter idle timeout):
/// often enough for the idle timeout, cheap for the disk.
void note_use(accounts_actor::stateful_pointer<accounts_state> self, const std::string& token_hash,
              session_info& s, unix_ms now, unix_ms idle_ms) {
  if (now - s.last_seen_at > std::min<unix_ms>(60'000, idle_ms / 4)) {
    self->send(self->state.writer, touch_session_cmd{token_hash});
    s.last_seen_at = now;
  }
}

/// Usernames compare case-insensitively, so throttling must too.
std::string account_key(std::string name) {
  for (auto& c : name)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return name;
}

/// Stores a new session of `kind` for `user`, then answers `rp` with `reply(token)`. The session
/// goes into the cache as well: a client usually uses a session right after it got it.
/// A login's `sign_in_address` is stored as a place of the account's (empty: not a login).
template<class Reply, class Promise>
void open_session(accounts_actor::stateful_pointer<accounts_state> self, user_record user,
                  session_kind kind, Promise rp, Reply reply, std::string sign_in_address = {}) {
  auto token = new_session_token();
  auto token_hash = hash_session_token(token);
  auto now = now_ms();
  auto expires = now + std::chrono::duration_cast<std::chrono::milliseconds>(
                           self->state.config.session_lifetime)
                           .count();
  self->request(self->state.writer, infinite,
                create_session_cmd{token_hash, user.id, kind, expires, std::move(sign_in_address)})
      .then(
          [self, rp, reply, user, kind, now, expires, token = std::move(token),
           token_hash](bool) mutable {
            remember_session(self->state, token_hash, session_info{user, kind, now, expires}, now);
            rp.deliver(reply(user, std::move(token)));
          },
          [rp](caf::error& err) mutable { rp.deliver(err); });
}

/// A browser's session: the cookie that login and registration set.
void open_cookie_session(accounts_actor::stateful_pointer<accounts_state> self, user_record user,
                         caf::typed_response_promise<login_result> rp,
                         std::string sign_in_address = {}) {
  open_session(
      self, std::move(user), session_kind::cookie, rp,
      [](user_record& u, std::string token) {
        return login_result{u, std::move(token)};
      },
      std::move(sign_in_address));
}

/// The places the accounts signed in from lately, stored by earlier runs: without them a
/// restart would leave the owners exposed to the account-wide limit for a while.
void load_sign_in_places(accounts_actor::stateful_pointer<accounts_state> self) {
  auto since = now_ms() - self->state.throttle.known_for().count();
  self->request(self->state.reader, infinite, recent_sign_in_places_query{since})
      .then(
          [self](std::vector<sign_in_place>& places) {
            for (auto& p : places)
              self->state.throttle.remember_place(account_key(p.username), p.address, p.at);
          },
          [](caf::error& err) {
            // Not fatal: logins work without them, as on a first start.
            spdlog::warn("event=sign_in_places_unavailable error={}", caf::to_string(err));
          });
}

/// A login or registration may hash or check a password now, or answers with how long to wait:
/// the hasher's queue, and one address's logins being checked, are bounded. A login from a
/// place the account signed in from lately is not held to the bound of the queue: a flood from
/// many addresses fills the queue, and must not lock the owners out with it.
std::optional<caf::error> refuse_when_busy(accounts_state& st, const std::string* address,
                                           bool known_place = false) {
  bool busy = !known_place && st.password_jobs >= st.config.max_password_jobs;
  if (address) {
    auto it = st.logins_by_address.find(*address);
    busy = busy ||
           (it != st.logins_by_address.end() && it->second >= st.config.max_logins_per_address);
  }
  if (!busy)
    return std::nullopt;
  return to_caf_error(error_code::rate_limited, "too many logins at once; try again in a moment",
                      1);
}

void begin_password_job(accounts_state& st, const std::string* address) {
  ++st.password_jobs;
  if (address)
    ++st.logins_by_address[*address];
}

void end_password_job(accounts_state& st, const std::string* address) {
  --st.password_jobs;
  if (!address)
    return;
  auto it = st.logins_by_address.find(*address);
  if (it != st.logins_by_address.end() && --it->second == 0)
    st.logins_by_address.erase(it);
}

/// The end of a login that failed: it was counted as failed when it began.
void fail_login(accounts_actor::stateful_pointer<accounts_state> self, const login_cmd& cmd,
                caf::typed_response_promise<login_result> rp) {
  end_password_job(self->state, &cmd.address);
  rp.deliver(to_caf_error(error_code::invalid_credentials, "wrong username or password"));
}

} // namespace

accounts_actor::behavior_type accounts(accounts_actor::stateful_pointer<accounts_state> self,
                                       accounts_config config, storage_reader_actor reader,
                                       storage_writer_actor writer, password_hasher_actor hasher,
                                       std::string dummy_hash) {
  self->state.config = config;
  self->state.throttle = login_throttle(config.login_limits);
  self->state.reader = std::move(reader);
  self->state.writer = std::move(writer);
  self->state.hasher = std::move(hasher);
  self->state.dummy_hash = std::move(dummy_hash);
  load_sign_in_places(self);
  return {
      [self](register_cmd& cmd) -> caf::result<login_result> {
        if (auto busy = refuse_when_busy(self->state, nullptr))
          return *busy;
        begin_password_job(self->state, nullptr);
        auto rp = self->make_response_promise<login_result>();
        auto username = cmd.username;
        self->request(self->state.hasher, infinite, hash_password_cmd{std::move(cmd.password)})
            .then(
                [self, rp, username](std::string& hash) mutable {
                  end_password_job(self->state, nullptr);
                  self->request(self->state.writer, infinite,
                                create_user_cmd{username, std::move(hash)})
                      .then([self, rp](
                                user_record& user) mutable { open_cookie_session(self, user, rp); },
                            [rp](caf::error& err) mutable { rp.deliver(err); });
                },
                [self, rp](caf::error& err) mutable {
                  end_password_job(self->state, nullptr);
                  rp.deliver(err);
                });
        return rp;
      },
      [self](login_cmd& cmd) -> caf::result<login_result> {
        auto& st = self->state;
        auto now = now_ms();
        auto account = account_key(cmd.username);
        if (auto wait = st.throttle.retry_after(account, cmd.address, now))
          return to_caf_error(error_code::rate_limited, "too many failed logins; try again later",
                              wait);
        if (auto busy =
                refuse_when_busy(st, &cmd.address, st.throttle.is_known(account, cmd.address, now)))
          return *busy;
        begin_password_job(st, &cmd.address);
        st.throttle.record_attempt(account, cmd.address, now);
        auto rp = self->make_response_promise<login_result>();
        self->request(st.reader, infinite, find_user_query{cmd.username})
            .then(
                [self, rp, cmd, now, account](user_secret& found) mutable {
                  self->request(self->state.hasher, infinite,
                                verify_password_cmd{found.password_hash, cmd.password})
                      .then(
                          [self, rp, cmd, now, account, user = found.user](bool ok) mutable {
                            if (!ok)
                              return fail_login(self, cmd, rp);
                            end_password_job(self->state, &cmd.address);
                            self->state.throttle.record_success(account, cmd.address, now);
                            open_cookie_session(self, user, rp, cmd.address);
                          },
                          [self, rp, cmd](caf::error& err) mutable {
                            end_password_job(self->state, &cmd.address);
                            rp.deliver(err);
                          });
                },
                [self, rp, cmd](caf::error&) mutable {
                  // Unknown user: spend the same time as for a wrong password.
                  self->request(self->state.hasher, infinite,
                                verify_password_cmd{self->state.dummy_hash, cmd.password})
                      .then([self, rp, cmd](bool) mutable { fail_login(self, cmd, rp); },
                            [self, rp, cmd](caf::error&) mutable { fail_login(self, cmd, rp); });
                });
        if (st.throttle.tracked_keys() > 100000)
          st.throttle.prune(now);
        return rp;
      },
      [self](const logout_cmd& cmd) -> caf::result<bool> {
        auto token_hash = hash_session_token(cmd.token);
        self->state.sessions.erase(token_hash);
        return self->delegate(self->state.writer, revoke_session_cmd{std::move(token_hash)});
      },
      [self](const authenticate_query& q) -> caf::result<session_info> {
        auto& st = self->state;
        auto idle =
            std::chrono::duration_cast<std::chrono::milliseconds>(st.config.session_idle_timeout)
                .count();
        auto now = now_ms();
        auto token_hash = hash_session_token(q.token);
        if (auto* known = cached_session(st, token_hash, now, idle)) {
          note_use(self, token_hash, *known, now, idle);
          return *known;
        }
        auto rp = self->make_response_promise<session_info>();
        self->request(st.reader, infinite, find_session_query{token_hash, now - idle})
            .then(
                [self, rp, token_hash, now, idle](session_info& s) mutable {
                  note_use(self, token_hash, s, now, idle);
                  remember_session(self->state, token_hash, s, now);
                  rp.deliver(std::move(s));
                },
                [rp](caf::error& err) mutable { rp.deliver(err); });
        return rp;
      },
      [self](const issue_token_cmd& cmd) -> caf::result<issued_token> {
        auto rp = self->make_response_promise<issued_token>();
        open_session(self, cmd.user, session_kind::bearer, rp, [](user_record&, std::string token) {
          return issued_token{std::move(token)};
        });
        return rp;
      },
  };
}

} // namespace chatd::actors
