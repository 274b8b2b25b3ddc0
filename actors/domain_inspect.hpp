#pragma once

// CAF inspect overloads of the domain records that travel in messages, kept here so that
// domain/ stays free of CAF, and the macro that declares those of the messages themselves.

#include <caf/meta/type_name.hpp>

#include "domain/records.hpp"
#include "domain/responses_request.hpp"

namespace chatd::domain {

template<class Inspector> typename Inspector::result_type inspect(Inspector& f, user_record& x) {
  return f(caf::meta::type_name("user_record"), x.id, x.username);
}

template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, conversation_record& x) {
  return f(caf::meta::type_name("conversation_record"), x.id, x.user_id, x.title, x.provider_ref,
           x.created_at, x.updated_at);
}

template<class Inspector> typename Inspector::result_type inspect(Inspector& f, message_record& x) {
  return f(caf::meta::type_name("message_record"), x.id, x.conversation_id, x.role, x.content,
           x.status, x.created_at, x.ending);
}

template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, context_message& x) {
  return f(caf::meta::type_name("context_message"), x.role, x.content);
}

template<class Inspector> typename Inspector::result_type inspect(Inspector& f, turn_record& x) {
  return f(caf::meta::type_name("turn_record"), x.conversation_id, x.user_message,
           x.assistant_message, x.unchained, x.history);
}

template<class Inspector> typename Inspector::result_type inspect(Inspector& f, sign_in_place& x) {
  return f(caf::meta::type_name("sign_in_place"), x.username, x.address, x.at);
}

template<class Inspector> typename Inspector::result_type inspect(Inspector& f, session_info& x) {
  return f(caf::meta::type_name("session_info"), x.user, x.kind, x.last_seen_at, x.expires_at);
}

template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, responses_request& x) {
  return f(caf::meta::type_name("responses_request"), x.model, x.input, x.previous_response_id,
           x.stream, x.context);
}

} // namespace chatd::domain

/// Declares the inspect overload of a plain struct message.
#define CHATD_INSPECT(type, ...)                                                                   \
  template<class Inspector> typename Inspector::result_type inspect(Inspector& f, type& x) {       \
    return f(caf::meta::type_name(#type), __VA_ARGS__);                                            \
  }
