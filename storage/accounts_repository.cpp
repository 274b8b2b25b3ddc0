#include "storage/accounts_repository.hpp"

#include <soci/soci.h>

#include "storage/ids.hpp"
#include "storage/sql.hpp"

namespace chatd::storage {

using namespace chatd::domain;

std::optional<user_record> accounts_repository::create_user(const std::string& username,
                                                            const std::string& password_hash,
                                                            unix_ms now) {
  if (find_user(username))
    return std::nullopt;
  user_record user{new_id('u'), username};
  long long at = now;
  sql_ << sql::insert_user, soci::use(user.id, "id"), soci::use(user.username, "username"),
      soci::use(password_hash, "hash"), soci::use(at, "now");
  return user;
}

std::optional<accounts_repository::user_secret>
accounts_repository::find_user(const std::string& username) {
  user_secret out;
  sql_ << sql::select_user_by_name, soci::use(username, "username"), soci::into(out.user.id),
      soci::into(out.user.username), soci::into(out.password_hash);
  if (!sql_.got_data())
    return std::nullopt;
  return out;
}

void accounts_repository::create_session(const std::string& token_hash, const std::string& user_id,
                                         session_kind kind, unix_ms now, unix_ms expires_at) {
  std::string kind_name = kind == session_kind::cookie ? "cookie" : "bearer";
  long long at = now, expires = expires_at;
  sql_ << sql::insert_session, soci::use(token_hash, "hash"), soci::use(user_id, "user_id"),
      soci::use(kind_name, "kind"), soci::use(at, "now"), soci::use(expires, "expires");
}

std::optional<session_info> accounts_repository::find_session(const std::string& token_hash,
                                                              unix_ms now, unix_ms idle_cutoff) {
  session_info out;
  std::string kind;
  long long at = now, cutoff = idle_cutoff, last_seen = 0, expires = 0;
  sql_ << sql::select_live_session, soci::use(token_hash, "hash"), soci::use(at, "now"),
      soci::use(cutoff, "idle_cutoff"), soci::into(out.user.id), soci::into(out.user.username),
      soci::into(kind), soci::into(last_seen), soci::into(expires);
  if (!sql_.got_data())
    return std::nullopt;
  out.kind = kind == "cookie" ? session_kind::cookie : session_kind::bearer;
  out.last_seen_at = last_seen;
  out.expires_at = expires;
  return out;
}

void accounts_repository::touch_session(const std::string& token_hash, unix_ms now) {
  long long at = now;
  sql_ << sql::touch_session, soci::use(at, "now"), soci::use(token_hash, "hash");
}

void accounts_repository::revoke_session(const std::string& token_hash, unix_ms now) {
  long long at = now;
  sql_ << sql::revoke_session, soci::use(at, "now"), soci::use(token_hash, "hash");
}

long long accounts_repository::purge_sessions(unix_ms now) {
  long long at = now;
  soci::statement st = (sql_.prepare << sql::delete_dead_sessions, soci::use(at, "now"));
  st.execute(true);
  return st.get_affected_rows();
}

void accounts_repository::note_sign_in_place(const std::string& user_id, const std::string& address,
                                             unix_ms now) {
  long long at = now;
  sql_ << sql::upsert_sign_in_place, soci::use(user_id, "user_id"), soci::use(address, "address"),
      soci::use(at, "now");
}

std::vector<sign_in_place> accounts_repository::recent_sign_in_places(unix_ms since,
                                                                      std::size_t limit) {
  long long after = since, most = static_cast<long long>(limit);
  sign_in_place row;
  long long at = 0;
  soci::statement st =
      (sql_.prepare << sql::select_recent_sign_in_places, soci::use(after, "since"),
       soci::use(most, "limit"), soci::into(row.username), soci::into(row.address), soci::into(at));
  st.execute();
  std::vector<sign_in_place> out;
  while (st.fetch()) {
    row.at = at;
    out.push_back(row);
  }
  return out;
}

long long accounts_repository::purge_sign_in_places(unix_ms before) {
  long long cutoff = before;
  soci::statement st =
      (sql_.prepare << sql::delete_old_sign_in_places, soci::use(cutoff, "before"));
  st.execute(true);
  return st.get_affected_rows();
}

} // namespace chatd::storage
