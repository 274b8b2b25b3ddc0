// Operating chatd: chatctl against the admin actor during a live stream, /metrics that count
// what happened, request ids that follow a turn through the logs to the provider.

#include <future>
#include <regex>

#include <catch2/catch.hpp>

#include "support/service_fixture.hpp"
#include "support/stream_checks.hpp"

using namespace chatd::test;
using nlohmann::json;

namespace {

/// Runs chatctl to the end; returns its exit code and output (stdout and stderr).
std::pair<int, std::string> chatctl(const std::string& admin, std::vector<std::string> args) {
  args.insert(args.begin(), {"--admin", admin});
  child_process p(CHATCTL_BINARY, args, {}, true); // errors and usage are on stderr
  auto out = p.output_to_end(std::chrono::seconds(15));
  return {p.stop(0), out}; // signal 0: only waits for the exit code
}

/// The value of an unlabelled (or exactly labelled) sample in Prometheus text.
double sample(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(series + " ", 0) == 0)
      return std::stod(line.substr(series.size() + 1));
  FAIL("no sample " << series);
  return 0;
}

} // namespace

TEST_CASE("chatctl --help shows its usage, and a wrong command gets it, without connecting",
          "[integration][operations]") {
  // Nothing listens on this port: before, both asked it first and failed on the connection.
  auto [help_rc, help] = chatctl("127.0.0.1:1", {"--help"});
  CHECK(help_rc == 0);
  CHECK(help.find("usage: chatctl") != std::string::npos);
  CHECK(help.find("admin_listen") != std::string::npos);
  auto [typo_rc, typo] = chatctl("127.0.0.1:1", {"stauts"});
  CHECK(typo_rc == 2);
  CHECK(typo.find("usage: chatctl") != std::string::npos);
  CHECK(typo.find("cannot reach") == std::string::npos);
}

TEST_CASE("chatctl shows, inspects and stops a live stream through the admin actor",
          "[integration][operations]") {
  service_fixture svc({"--admin-listen", "127.0.0.1:0"});
  auto line =
      svc.chatd->process().wait_for_line("chatd admin listening on ", std::chrono::seconds(5));
  REQUIRE(line);
  auto admin = line->substr(line->rfind(' ') + 1);
  auto client = svc.signed_in_client("operator");
  std::promise<json> started;
  auto running = std::async(std::launch::async, [&] {
    http_client own(svc.chatd->url());
    own.use_bearer(client->request("POST", "/api/auth/tokens").json()["token"]);
    bool told = false;
    return own.stream("POST", "/api/chat/stream",
                      R"({"message":"long [[mock deltas=100 rate=20]]"})", {},
                      [&](const chatd::domain::sse_message& ev) {
                        if (!told && ev.id == "3") {
                          told = true;
                          started.set_value(json::parse(ev.data));
                        }
                        return true;
                      });
  });
  started.get_future().wait();
  auto first = client->get("/api/conversations").json()["conversations"][0];
  auto conversation = first["id"].get<std::string>();
  auto user = client->get("/api/auth/session").json()["user"]["id"].get<std::string>();
  auto answer = client->get("/api/conversations/" + conversation)
                    .json()["messages"][1]["id"]
                    .get<std::string>();

  auto [rc, streams] = chatctl(admin, {"streams"});
  CHECK(rc == 0);
  CHECK(streams.find(conversation) != std::string::npos);
  CHECK(streams.find(user) != std::string::npos);
  CHECK(streams.find(answer) != std::string::npos);
  CHECK(streams.find("running") != std::string::npos);
  CHECK(streams.find("1 open stream") != std::string::npos);

  auto [rc2, conv] = chatctl(admin, {"conversation", conversation});
  CHECK(rc2 == 0);
  CHECK(conv.find("live     yes") != std::string::npos);
  CHECK(conv.find(user) != std::string::npos);

  auto [rc3, status] = chatctl(admin, {"status"});
  CHECK(rc3 == 0);
  CHECK(status.find("streams_open            1") != std::string::npos);
  CHECK(status.find("upstreams_running       1") != std::string::npos);

  auto [rc4, stopped] = chatctl(admin, {"stop", answer});
  CHECK(rc4 == 0);
  CHECK(stopped.find(answer + " stopped") != std::string::npos);
  auto s = check_stream(running.get());
  CHECK(s.terminal["status"] == "stopped");
  auto [rc5, after] = chatctl(admin, {"streams"});
  CHECK(after.find("0 open streams") != std::string::npos);
}

TEST_CASE("/metrics counts turns, chunks and requests exactly", "[integration][operations]") {
  service_fixture svc;
  auto client = svc.signed_in_client("counter");
  auto before = client->get("/metrics").body;
  for (int i = 0; i < 3; ++i)
    check_stream(
        client->stream("POST", "/api/chat/stream", R"({"message":"count [[mock deltas=10]]"})"));
  client->post("/api/chat", {{"message", "one more [[mock deltas=5]]"}});
  auto after = client->get("/metrics").body;
  CHECK(sample(after, "chatd_streams_total") - sample(before, "chatd_streams_total") == 4);
  CHECK(sample(after, "chatd_chunks_relayed_total") -
            sample(before, "chatd_chunks_relayed_total") ==
        30);
  CHECK(sample(after, "chatd_turns_finished_total{status=\"complete\"}") -
            sample(before, "chatd_turns_finished_total{status=\"complete\"}") ==
        4);
  CHECK(sample(after, "chatd_streams_active") == 0);
  CHECK(sample(after, "chatd_first_chunk_seconds_count") -
            sample(before, "chatd_first_chunk_seconds_count") ==
        3);
  CHECK(sample(after, "chatd_http_request_duration_seconds_count") >
        sample(before, "chatd_http_request_duration_seconds_count"));
  CHECK(after.find("# TYPE chatd_http_request_duration_seconds histogram") != std::string::npos);
}

TEST_CASE("a request id follows a turn through the logs and on to the provider",
          "[integration][operations]") {
  service_fixture svc({"--log-level", "info"});
  auto client = svc.signed_in_client("tracer");
  auto s = client->stream("POST", "/api/chat/stream", R"({"message":"trace me"})",
                          {"X-Request-Id: trace-42"});
  CHECK(s.headers.at("x-request-id") == "trace-42");
  check_stream(s);
  auto calls = mock_requests(svc.mock_url(), 1);
  CHECK(calls[0]["headers"]["x-client-request-id"] == "trace-42");
  REQUIRE(svc.chatd->stop() == 0);
  auto logs = svc.chatd->process().output();
  for (auto event :
       {"event=turn_started request_id=trace-42", "event=turn_finished request_id=trace-42",
        "event=http request_id=trace-42 method=POST path=/api/chat/stream status=200"})
    CHECK(logs.find(event) != std::string::npos);
}

TEST_CASE("readiness means the database answers and health means the process runs",
          "[integration][operations]") {
  service_fixture svc;
  http_client client(svc.chatd->url());
  auto ready = client.get("/readyz");
  CHECK(ready.status == 200);
  CHECK(ready.json()["status"] == "ready");
  CHECK(client.get("/healthz").json()["status"] == "ok");
}
