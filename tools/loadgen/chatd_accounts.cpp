#include "tools/loadgen/chatd_accounts.hpp"

#include "tools/loadgen/http_response.hpp"

#ifndef ASIO_STANDALONE
#define ASIO_STANDALONE // asio without Boost
#endif
#include <asio.hpp>
#include <nlohmann/json.hpp>

#include <random>
#include <stdexcept>
#include <unistd.h>

namespace chatd::loadgen {

namespace {

struct reply {
  response_head head;
  std::string body;
};

reply exchange(const endpoint& server, const std::string& method, const std::string& path,
               const std::string& body, const std::string& extra_headers) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  asio::ip::tcp::resolver resolver(io);
  asio::connect(socket, resolver.resolve(server.host, std::to_string(server.port)));
  std::string request =
      method + " " + path + " HTTP/1.1\r\nHost: " + server.host + ":" +
      std::to_string(server.port) + "\r\nContent-Type: application/json\r\nConnection: close\r\n" +
      extra_headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  asio::write(socket, asio::buffer(request));
  http_response_reader reader;
  reply r;
  std::array<char, 4096> buffer;
  while (!reader.done()) {
    std::error_code ec;
    const auto n = socket.read_some(asio::buffer(buffer), ec);
    if (ec == asio::error::eof && reader.ends_with_connection())
      break;
    if (ec)
      throw std::runtime_error(method + " " + path + ": " + ec.message());
    const auto s = reader.feed(std::string_view(buffer.data(), n),
                               [&r](std::string_view bytes) { r.body.append(bytes); });
    if (s == http_response_reader::status::error)
      throw std::runtime_error(method + " " + path + ": malformed response");
  }
  r.head = *reader.head();
  return r;
}

} // namespace

std::string cookie_pair(std::string_view set_cookie) {
  return std::string(set_cookie.substr(0, set_cookie.find(';')));
}

std::vector<std::string> create_chatd_tokens(const endpoint& server, std::size_t users) {
  // Unique names per run, so runs against one database never collide.
  std::random_device seed;
  const auto run_id = std::to_string(getpid()) + "_" + std::to_string(seed() % 1000000);
  std::vector<std::string> tokens;
  for (std::size_t i = 0; i < users; ++i) {
    const nlohmann::json credentials = {{"username", "bench_" + run_id + "_" + std::to_string(i)},
                                        {"password", "bench-password-" + run_id}};
    const auto registered = exchange(server, "POST", "/api/auth/register", credentials.dump(), "");
    const auto set_cookie = registered.head.field("set-cookie");
    if (registered.head.status != 201 || !set_cookie)
      throw std::runtime_error("register: HTTP " + std::to_string(registered.head.status) + " " +
                               registered.body);
    const auto issued = exchange(server, "POST", "/api/auth/tokens", "{}",
                                 "Cookie: " + cookie_pair(*set_cookie) + "\r\n");
    const auto json = nlohmann::json::parse(issued.body, nullptr, false);
    if (issued.head.status != 201 || !json.is_object() || !json.contains("token"))
      throw std::runtime_error("token: HTTP " + std::to_string(issued.head.status) + " " +
                               issued.body);
    tokens.push_back(json["token"].get<std::string>());
  }
  return tokens;
}

} // namespace chatd::loadgen
