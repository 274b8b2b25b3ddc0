// Conversations over real HTTP: list, create, get, rename, delete; only ever the caller's own.

#include <catch2/catch.hpp>

#include "support/service_fixture.hpp"

using namespace chatd::test;
using nlohmann::json;

TEST_CASE("conversations can be created, listed newest first, renamed and deleted",
          "[integration][conversations]") {
  service_fixture svc;
  auto client = svc.signed_in_client("henry");
  auto first = client->post("/api/conversations", {{"title", "First"}});
  REQUIRE(first.status == 201);
  auto untitled = client->request("POST", "/api/conversations", "");
  REQUIRE(untitled.status == 201);
  auto first_id = first.json()["conversation"]["id"].get<std::string>();
  auto second_id = untitled.json()["conversation"]["id"].get<std::string>();
  CHECK(untitled.json()["conversation"]["title"].is_string());
  CHECK(first.json()["conversation"]["created_at"].get<std::string>().back() == 'Z');

  auto list = client->get("/api/conversations").json()["conversations"];
  REQUIRE(list.size() == 2);
  CHECK(list[0]["id"] == second_id);
  CHECK(list[1]["id"] == first_id);

  auto renamed =
      client->request("PATCH", "/api/conversations/" + first_id, R"({"title":"Renamed ✓"})");
  REQUIRE(renamed.status == 200);
  CHECK(renamed.json()["conversation"]["title"] == "Renamed ✓");
  list = client->get("/api/conversations").json()["conversations"];
  CHECK(list[0]["id"] == first_id); // renaming updates it

  auto got = client->get("/api/conversations/" + first_id);
  REQUIRE(got.status == 200);
  CHECK(got.json()["conversation"]["title"] == "Renamed ✓");
  CHECK(got.json()["messages"].empty());

  auto deleted = client->request("DELETE", "/api/conversations/" + first_id);
  REQUIRE(deleted.status == 204);
  CHECK(deleted.body.empty());
  CHECK(deleted.headers.count("content-type") == 0); // no content, no type of it
  CHECK(client->get("/api/conversations/" + first_id).status == 404);
  CHECK(client->get("/api/conversations").json()["conversations"].size() == 1);
}

TEST_CASE("another user's conversation looks exactly like a missing one",
          "[integration][conversations]") {
  service_fixture svc;
  auto owner = svc.signed_in_client("ivy");
  auto other = svc.signed_in_client("jack");
  auto made = owner->post("/api/conversations", {{"title", "private"}});
  auto id = made.json()["conversation"]["id"].get<std::string>();

  std::vector<http_response> answers;
  answers.push_back(other->get("/api/conversations/" + id));
  answers.push_back(other->request("PATCH", "/api/conversations/" + id, R"({"title":"x"})"));
  answers.push_back(other->request("DELETE", "/api/conversations/" + id));
  answers.push_back(other->get("/api/conversations/c_doesnotexist"));
  for (auto& r : answers) {
    CHECK(r.status == 404);
    CHECK(r.json()["error"]["code"] == "not_found");
  }
  auto stream = other->stream("POST", "/api/chat/stream",
                              json{{"message", "hi"}, {"conversation_id", id}}.dump());
  CHECK(stream.status == 404);
  CHECK(other->get("/api/conversations").json()["conversations"].empty());
  // Still there, unchanged, for its owner.
  auto still = owner->get("/api/conversations/" + id);
  REQUIRE(still.status == 200);
  CHECK(still.json()["conversation"]["title"] == "private");
}
