#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/sse_parser.hpp"

namespace chatd::test {

/// Adds one header line (`Name: value`, with or without its line end) to `headers`: the name in
/// lower case, the value without the spaces and line end around it. Other lines are ignored.
void add_header_line(std::map<std::string, std::string>& headers, const std::string& line);

struct http_response {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers; ///< names in lower case
  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

/// What a streaming request saw.
struct sse_result {
  long status = 0;
  std::vector<domain::sse_message> events;
  std::string raw;                            ///< every byte received
  std::map<std::string, std::string> headers; ///< names in lower case
  bool aborted = false;                       ///< the callback asked to stop
  std::vector<nlohmann::json> data() const;   ///< each event's JSON
};

/// A blocking HTTP client for tests (libcurl easy), keeping cookies like a browser.
class http_client {
public:
  explicit http_client(std::string base_url);
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  http_response request(const std::string& method, const std::string& path,
                        const std::string& body = "", std::vector<std::string> headers = {});
  http_response get(const std::string& path, std::vector<std::string> headers = {}) {
    return request("GET", path, "", std::move(headers));
  }
  http_response post(const std::string& path, const nlohmann::json& body,
                     std::vector<std::string> headers = {}) {
    return request("POST", path, body.dump(), std::move(headers));
  }

  /// Sends a request and reads its event stream until it ends or `on_event` returns false.
  sse_result stream(const std::string& method, const std::string& path, const std::string& body,
                    std::vector<std::string> headers = {},
                    std::function<bool(const domain::sse_message&)> on_event = {},
                    std::chrono::milliseconds timeout = std::chrono::seconds(30));

  /// Sends `Authorization: Bearer <token>` from now on.
  void use_bearer(std::string token) { bearer_ = std::move(token); }

  const std::string& base_url() const { return base_; }

private:
  void prepare(const std::string& method, const std::string& path, const std::string& body,
               std::vector<std::string>& headers);

  std::string base_;
  std::string bearer_;
  void* curl_;
  void* header_list_ = nullptr;
};

} // namespace chatd::test
