#pragma once
// A blocking libcurl client and an SSE reader for the mock provider's tests, and a fixture that
// runs one mock in-process on a free port.

#include "tools/mock_provider/mock_provider.hpp"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chatd::mock::test {

struct http_result {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::map<std::string, std::string> headers; ///< Names in lower case.
  std::string body;
  std::size_t writes = 0; ///< How many pieces libcurl handed over (to see chopping).
  std::chrono::milliseconds elapsed{0};

  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

struct http_request {
  std::string method = "POST";
  std::string url;
  std::string body;
  std::vector<std::string> headers;
  long timeout_ms = 5000;
};

inline std::size_t on_body(char* data, std::size_t, std::size_t n, void* user) {
  auto* r = static_cast<http_result*>(user);
  r->body.append(data, n);
  ++r->writes;
  return n;
}

inline std::size_t on_header(char* data, std::size_t, std::size_t n, void* user) {
  auto* r = static_cast<http_result*>(user);
  std::string line(data, n);
  const auto colon = line.find(':');
  if (colon == std::string::npos)
    return n;
  std::string name = line.substr(0, colon);
  for (auto& c : name)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto value = line.substr(colon + 1);
  value.erase(0, value.find_first_not_of(' '));
  value.erase(value.find_last_not_of("\r\n ") + 1);
  r->headers[name] = value;
  return n;
}

inline http_result perform(const http_request& q) {
  http_result r;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl{curl_easy_init(), curl_easy_cleanup};
  curl_slist* headers = nullptr;
  for (const auto& h : q.headers)
    headers = curl_slist_append(headers, h.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_URL, q.url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, q.method.c_str());
  if (q.method == "POST") {
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, q.body.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(q.body.size()));
  }
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &r);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &r);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, q.timeout_ms);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  const auto start = std::chrono::steady_clock::now();
  r.code = curl_easy_perform(curl.get());
  r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(headers);
  return r;
}

/// POST `body` as JSON to `url`, with `auth` as the Authorization header unless empty.
inline http_result post_json(const std::string& url, const std::string& body,
                             long timeout_ms = 5000, const std::string& auth = "Bearer test-key") {
  http_request q;
  q.url = url;
  q.body = body;
  q.headers = {"Content-Type: application/json"};
  if (!auth.empty())
    q.headers.push_back("Authorization: " + auth);
  q.timeout_ms = timeout_ms;
  return perform(q);
}

/// A POST /v1/responses body with `input` as a plain string.
inline nlohmann::json responses_body(const std::string& input, bool stream,
                                     const nlohmann::json& extra = {}) {
  nlohmann::json body = {{"model", "mock-model"}, {"input", input}, {"stream", stream}};
  if (extra.is_object())
    body.update(extra);
  return body;
}

/// One server-sent event as OpenAI writes it: `event: <name>` and one `data:` line.
struct sse_event {
  std::string name;
  nlohmann::json data;
  std::string type() const { return data.value("type", std::string()); }
};

/// Every complete event in `body` (a cut stream may end with a partial one, which is skipped).
inline std::vector<sse_event> parse_sse(const std::string& body) {
  std::vector<sse_event> events;
  std::size_t pos = 0;
  while (true) {
    const auto end = body.find("\n\n", pos);
    if (end == std::string::npos)
      break;
    sse_event e;
    std::size_t line_start = pos;
    while (line_start < end) {
      auto line_end = body.find('\n', line_start);
      if (line_end == std::string::npos || line_end > end)
        line_end = end;
      const auto line = body.substr(line_start, line_end - line_start);
      if (line.rfind("event: ", 0) == 0)
        e.name = line.substr(7);
      else if (line.rfind("data: ", 0) == 0)
        e.data = nlohmann::json::parse(line.substr(6));
      line_start = line_end + 1;
    }
    events.push_back(std::move(e));
    pos = end + 2;
  }
  return events;
}

inline std::vector<std::string> types_of(const std::vector<sse_event>& events) {
  std::vector<std::string> out;
  for (const auto& e : events)
    out.push_back(e.type());
  return out;
}

inline std::vector<std::string> deltas_of(const std::vector<sse_event>& events) {
  std::vector<std::string> out;
  for (const auto& e : events)
    if (e.type() == "response.output_text.delta")
      out.push_back(e.data.at("delta").get<std::string>());
  return out;
}

inline std::string joined(const std::vector<std::string>& pieces) {
  std::string s;
  for (const auto& p : pieces)
    s += p;
  return s;
}

/// The receipt time in a stream's first benchmark delta `@<ns>;r<receipt ns>;<word> `;
/// nullopt when the delta carries none.
inline std::optional<std::uint64_t> receipt_of(const std::string& delta) {
  const auto semicolon = delta.find(';');
  if (semicolon == std::string::npos || semicolon + 1 >= delta.size() ||
      delta[semicolon + 1] != 'r')
    return std::nullopt;
  const auto end = delta.find(';', semicolon + 2);
  if (end == std::string::npos || end == semicolon + 2)
    return std::nullopt;
  for (std::size_t i = semicolon + 2; i < end; ++i)
    if (!std::isdigit(static_cast<unsigned char>(delta[i])))
      return std::nullopt;
  return std::stoull(delta.substr(semicolon + 2, end - semicolon - 2));
}

/// The send time in a benchmark delta `@<ns>;<word> ` or `@<ns>;r<receipt ns>;<word> `;
/// nullopt if the delta has another shape.
/// (Hand-written: std::regex trips g++ 12's -Wmaybe-uninitialized in sanitizer builds.)
inline std::optional<std::uint64_t> stamp_of(const std::string& delta) {
  const auto semicolon = delta.find(';');
  if (delta.size() < 4 || delta[0] != '@' || semicolon == std::string::npos || semicolon < 2 ||
      delta.back() != ' ')
    return std::nullopt;
  for (std::size_t i = 1; i < semicolon; ++i)
    if (!std::isdigit(static_cast<unsigned char>(delta[i])))
      return std::nullopt;
  auto word_start = semicolon + 1;
  if (delta[word_start] == 'r') {
    if (!receipt_of(delta))
      return std::nullopt;
    word_start = delta.find(';', word_start) + 1;
  }
  if (word_start + 1 >= delta.size())
    return std::nullopt;
  const auto word = delta.substr(word_start, delta.size() - word_start - 1);
  if (word.empty())
    return std::nullopt;
  for (char c : word)
    if (c < 'a' || c > 'z')
      return std::nullopt;
  return std::stoull(delta.substr(1, semicolon - 1));
}

/// A mock provider of its own for one test.
class mock_fixture {
public:
  explicit mock_fixture(mock_options options = {})
      : provider_(mock_provider::start(std::move(options))) {}

  std::uint16_t port() const { return provider_->port(); }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port()) + path;
  }

  http_result post(const std::string& path, const std::string& body, long timeout_ms = 5000,
                   const std::string& auth = "Bearer test-key") const {
    return post_json(url(path), body, timeout_ms, auth);
  }

  http_result get(const std::string& path, long timeout_ms = 5000) const {
    http_request q;
    q.method = "GET";
    q.url = url(path);
    q.headers = {"Authorization: Bearer test-key"};
    q.timeout_ms = timeout_ms;
    return perform(q);
  }

  /// POST /v1/responses with `input` as a plain string.
  http_result respond(const std::string& input, bool stream, nlohmann::json extra = {},
                      long timeout_ms = 5000) const {
    return post("/v1/responses", responses_body(input, stream, extra).dump(), timeout_ms);
  }

  mock_provider& provider() { return *provider_; }

private:
  std::unique_ptr<mock_provider> provider_;
};

} // namespace chatd::mock::test
