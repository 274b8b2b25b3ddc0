#include "support/http_client.hpp"

#include <stdexcept>

#include <curl/curl.h>

namespace chatd::test {

void add_header_line(std::map<std::string, std::string>& headers, const std::string& line) {
  auto colon = line.find(':');
  if (colon == std::string::npos)
    return;
  std::string name = line.substr(0, colon);
  for (auto& c : name)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto value = line.substr(colon + 1);
  value.erase(0, value.find_first_not_of(' '));
  value.erase(value.find_last_not_of("\r\n ") + 1);
  headers[name] = value;
}

namespace {

size_t on_header(char* data, size_t size, size_t n, void* user) {
  add_header_line(*static_cast<std::map<std::string, std::string>*>(user),
                  std::string(data, size * n));
  return size * n;
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

struct stream_state {
  sse_result* result;
  domain::sse_parser parser;
  std::vector<domain::sse_message> batch;
  std::function<bool(const domain::sse_message&)>* on_event;
};

size_t on_stream(char* data, size_t size, size_t n, void* user) {
  auto* st = static_cast<stream_state*>(user);
  std::string_view bytes(data, size * n);
  st->result->raw.append(bytes);
  st->batch.clear();
  st->parser.feed(bytes, st->batch);
  for (auto& ev : st->batch) {
    st->result->events.push_back(ev);
    if (*st->on_event && !(*st->on_event)(ev)) {
      st->result->aborted = true;
      return 0; // makes libcurl abort the transfer: the client goes away
    }
  }
  return size * n;
}

} // namespace

std::vector<nlohmann::json> sse_result::data() const {
  std::vector<nlohmann::json> out;
  for (auto& ev : events)
    out.push_back(nlohmann::json::parse(ev.data));
  return out;
}

http_client::http_client(std::string base_url)
    : base_(std::move(base_url)), curl_(curl_easy_init()) {
  if (!curl_)
    throw std::runtime_error("curl_easy_init failed");
  curl_easy_setopt(curl_, CURLOPT_COOKIEFILE, ""); // in-memory cookie jar
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
}

http_client::~http_client() {
  curl_slist_free_all(static_cast<curl_slist*>(header_list_));
  curl_easy_cleanup(curl_);
}

void http_client::prepare(const std::string& method, const std::string& path,
                          const std::string& body, std::vector<std::string>& headers) {
  curl_easy_setopt(curl_, CURLOPT_URL, (base_ + path).c_str());
  curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "GET") {
    curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (!bearer_.empty())
    headers.push_back("Authorization: Bearer " + bearer_);
  headers.push_back("Content-Type: application/json");
  headers.push_back("Expect:");
  curl_slist_free_all(static_cast<curl_slist*>(header_list_));
  curl_slist* list = nullptr;
  for (auto& h : headers)
    list = curl_slist_append(list, h.c_str());
  header_list_ = list;
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, list);
}

http_response http_client::request(const std::string& method, const std::string& path,
                                   const std::string& body, std::vector<std::string> headers) {
  http_response out;
  prepare(method, path, body, headers);
  curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &out.headers);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 30000L);
  auto code = curl_easy_perform(curl_);
  if (code != CURLE_OK)
    throw std::runtime_error(std::string("request failed: ") + curl_easy_strerror(code));
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &out.status);
  return out;
}

sse_result http_client::stream(const std::string& method, const std::string& path,
                               const std::string& body, std::vector<std::string> headers,
                               std::function<bool(const domain::sse_message&)> on_event,
                               std::chrono::milliseconds timeout) {
  sse_result out;
  stream_state st{&out, domain::sse_parser{}, {}, &on_event};
  prepare(method, path, body, headers);
  curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &out.headers);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, on_stream);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &st);
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  auto code = curl_easy_perform(curl_);
  if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && out.aborted))
    throw std::runtime_error(std::string("stream failed: ") + curl_easy_strerror(code));
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &out.status);
  // An aborted transfer's connection is closed by libcurl, as a closing browser tab's is.
  return out;
}

} // namespace chatd::test
