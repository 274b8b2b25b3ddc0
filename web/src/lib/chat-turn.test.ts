import { describe, expect, it } from "vitest";
import {
  completeEvent,
  contentEvent,
  createFakeFetch,
  errorResponse,
  jsonResponse,
  networkFailure,
  sseEvent,
  sseResponse,
  startEvent,
} from "../test-support/fake-fetch";
import { attachToAnswer, runChatTurn, tooLongToSend, type TurnPhase } from "./chat-turn";

const wholeAnswer = {
  conversation_id: "conv-1",
  user_message_id: "user-1",
  message: { id: "asst-1", role: "assistant", content: "The whole answer", status: "complete" },
};

const fastOptions = { resumeDelayMs: 0, idempotencyKey: "turn-key" };

function recorder() {
  const phases: TurnPhase[] = [];
  const contents: string[] = [];
  return {
    phases,
    contents,
    handlers: {
      onPhase: (phase: TurnPhase) => phases.push(phase),
      onContent: (text: string) => contents.push(text),
    },
  };
}

describe("runChatTurn", () => {
  it("streams the answer when nothing fails", async () => {
    const fake = createFakeFetch([
      () => sseResponse([sseEvent(1, startEvent), sseEvent(2, contentEvent(1, "Hi", 2)), sseEvent(3, completeEvent("Hi"))]),
    ]);
    const { handlers, contents } = recorder();
    const result = await runChatTurn({ message: "Hello" }, handlers, { ...fastOptions, fetchImpl: fake.fetch });
    expect(result).toMatchObject({ kind: "completed", event: { final_content: "Hi" }, start: { conversation_id: "conv-1" } });
    expect(contents).toEqual(["Hi"]);
    expect(fake.requests).toHaveLength(1);
  });

  it("goes straight to POST /api/chat when the stream fails with a 5xx before start", async () => {
    const fake = createFakeFetch([() => errorResponse(503, "upstream_unavailable"), () => jsonResponse(200, wholeAnswer)]);
    const { handlers, phases } = recorder();
    const result = await runChatTurn({ message: "Hello", conversation_id: "conv-1" }, handlers, { ...fastOptions, fetchImpl: fake.fetch });
    expect(result).toMatchObject({ kind: "whole_answer", response: { message: { content: "The whole answer" } } });
    expect(fake.requests.map((request) => `${request.method} ${request.url}`)).toEqual(["POST /api/chat/stream", "POST /api/chat"]);
    // Same body and the same Idempotency-Key: the server must not store the message twice.
    expect(fake.requests[1]?.body).toEqual({ message: "Hello", conversation_id: "conv-1" });
    expect(fake.requests[1]?.headers["idempotency-key"]).toBe("turn-key");
    expect(fake.requests[0]?.headers["idempotency-key"]).toBe("turn-key");
    expect(phases).toEqual(["streaming", "whole_answer"]);
  });

  it("goes straight to POST /api/chat when the stream cannot connect at all", async () => {
    const fake = createFakeFetch([networkFailure, () => jsonResponse(200, wholeAnswer)]);
    const result = await runChatTurn({ message: "Hello" }, {}, { ...fastOptions, fetchImpl: fake.fetch });
    expect(result.kind).toBe("whole_answer");
    expect(fake.requests[1]?.url).toBe("/api/chat");
  });

  it("resumes with Last-Event-ID when the stream breaks after start, and keeps the text whole", async () => {
    const fake = createFakeFetch([
      () => sseResponse([sseEvent(1, startEvent), sseEvent(2, contentEvent(1, "Hello", 5))], { thenBreak: true }),
      () => sseResponse([sseEvent(3, contentEvent(2, " world", 11)), sseEvent(4, completeEvent("Hello world"))]),
    ]);
    const { handlers, contents, phases } = recorder();
    const result = await runChatTurn({ message: "Hi" }, handlers, { ...fastOptions, fetchImpl: fake.fetch });
    expect(fake.requests[1]).toMatchObject({ method: "GET", url: "/api/chat/stream/asst-1" });
    expect(fake.requests[1]?.headers["last-event-id"]).toBe("2");
    expect(contents.join("")).toBe("Hello world");
    expect(phases).toEqual(["streaming", "resuming"]);
    expect(result).toMatchObject({ kind: "completed", event: { final_content: "Hello world" }, start: { assistant_message_id: "asst-1" } });
  });

  it("keeps resuming while each attempt makes progress", async () => {
    const fake = createFakeFetch([
      () => sseResponse([sseEvent(1, startEvent)], { thenBreak: true }),
      () => sseResponse([sseEvent(2, contentEvent(1, "a", 1))], { thenBreak: true }),
      () => sseResponse([sseEvent(3, contentEvent(2, "b", 2))], { thenBreak: true }),
      () => sseResponse([sseEvent(4, completeEvent("ab"))]),
    ]);
    const result = await runChatTurn({ message: "Hi" }, {}, { ...fastOptions, fetchImpl: fake.fetch });
    expect(result.kind).toBe("completed");
    expect(fake.requests.slice(1).map((request) => request.headers["last-event-id"])).toEqual(["1", "2", "3"]);
  });

  it("falls back to POST /api/chat when resuming fails too", async () => {
    const fake = createFakeFetch([
      () => sseResponse([sseEvent(1, startEvent), sseEvent(2, contentEvent(1, "Hel", 3))], { thenBreak: true }),
      networkFailure,
      networkFailure,
      () => jsonResponse(200, wholeAnswer),
    ]);
    const { handlers, phases } = recorder();
    const result = await runChatTurn({ message: "Hi" }, handlers, {
      ...fastOptions,
      fetchImpl: fake.fetch,
      maxResumeAttemptsWithoutProgress: 2,
    });
    expect(fake.requests.map((request) => `${request.method} ${request.url} ${request.headers["last-event-id"] ?? "-"}`)).toEqual([
      "POST /api/chat/stream -",
      "GET /api/chat/stream/asst-1 2",
      "GET /api/chat/stream/asst-1 2",
      "POST /api/chat -",
    ]);
    expect(fake.requests[3]?.headers["idempotency-key"]).toBe("turn-key");
    expect(phases).toEqual(["streaming", "resuming", "resuming", "whole_answer"]);
    expect(result).toMatchObject({ kind: "whole_answer", start: { assistant_message_id: "asst-1" } });
  });

  it("falls back to POST /api/chat at once when the server no longer knows the stream (404)", async () => {
    const fake = createFakeFetch([
      () => sseResponse([sseEvent(1, startEvent)]),
      () => errorResponse(404, "not_found"),
      () => jsonResponse(200, wholeAnswer),
    ]);
    const result = await runChatTurn({ message: "Hi" }, {}, { ...fastOptions, fetchImpl: fake.fetch });
    expect(result.kind).toBe("whole_answer");
    expect(fake.requests).toHaveLength(3);
  });

  for (const [status, code] of [
    [400, "invalid_request"],
    [401, "unauthenticated"],
    [404, "not_found"],
    [409, "stream_in_progress"],
    [413, "payload_too_large"],
    [429, "too_many_streams"],
  ] as const) {
    it(`shows a ${status} ${code} as it is, without retrying`, async () => {
      const fake = createFakeFetch([() => errorResponse(status, code, `refused: ${code}`)]);
      const result = await runChatTurn({ message: "Hi" }, {}, { ...fastOptions, fetchImpl: fake.fetch });
      expect(result).toMatchObject({ kind: "failed", error: { status, code, message: `refused: ${code}` } });
      expect(fake.requests).toHaveLength(1);
    });
  }

  it("does not retry after the server ended the stream with an error event", async () => {
    const error = { type: "error", error: { code: "upstream_error", message: "failed" }, retryable: false, stored_in_db: false };
    const fake = createFakeFetch([() => sseResponse([sseEvent(1, startEvent), sseEvent(2, error)])]);
    const result = await runChatTurn({ message: "Hi" }, {}, { ...fastOptions, fetchImpl: fake.fetch });
    expect(result).toMatchObject({ kind: "stream_error", event: { error: { code: "upstream_error" } } });
    expect(fake.requests).toHaveLength(1);
  });

  it("reports failure when every fallback failed", async () => {
    const fake = createFakeFetch([networkFailure, () => errorResponse(502, "upstream_error", "The model failed")]);
    const result = await runChatTurn({ message: "Hi" }, {}, { ...fastOptions, fetchImpl: fake.fetch });
    expect(result).toMatchObject({ kind: "failed", error: { status: 502, message: "The model failed" } });
  });

  it("stops quietly when aborted between attempts", async () => {
    const controller = new AbortController();
    const fake = createFakeFetch([
      () => {
        controller.abort();
        return sseResponse([sseEvent(1, startEvent)], { thenBreak: true });
      },
    ]);
    const result = await runChatTurn({ message: "Hi" }, {}, { ...fastOptions, fetchImpl: fake.fetch, signal: controller.signal });
    expect(result.kind).toBe("aborted");
    expect(fake.requests).toHaveLength(1);
  });
});

describe("attachToAnswer", () => {
  it("replays the stream from the first event, then resumes from the last id if it breaks", async () => {
    const fake = createFakeFetch([
      () => sseResponse([sseEvent(1, startEvent), sseEvent(2, contentEvent(1, "Par", 3))], { thenBreak: true }),
      () => sseResponse([sseEvent(3, contentEvent(2, "tial", 7)), sseEvent(4, completeEvent("Partial"))]),
    ]);
    const { handlers, contents } = recorder();
    const result = await attachToAnswer("asst-1", handlers, { ...fastOptions, fetchImpl: fake.fetch });
    expect(fake.requests[0]?.headers["last-event-id"]).toBeUndefined();
    expect(fake.requests[1]?.headers["last-event-id"]).toBe("2");
    expect(contents.join("")).toBe("Partial");
    expect(result.kind).toBe("completed");
  });

  it("never repeats the turn with POST /api/chat", async () => {
    const fake = createFakeFetch([networkFailure, networkFailure, networkFailure]);
    const result = await attachToAnswer("asst-1", {}, { ...fastOptions, fetchImpl: fake.fetch, maxResumeAttemptsWithoutProgress: 2 });
    expect(result.kind).toBe("failed");
    expect(fake.requests.every((request) => request.method === "GET")).toBe(true);
  });
});

describe("tooLongToSend", () => {
  it("names a body over the server's default limit, in KiB, and nothing under it", () => {
    expect(tooLongToSend({ message: "x".repeat(60 * 1024) })).toBeNull();
    const error = tooLongToSend({ message: "é".repeat(100 * 1024) }); // two bytes each in UTF-8
    expect(error?.status).toBe(413);
    expect(error?.code).toBe("payload_too_large");
    expect(error?.message).toContain("201 KiB");
  });
});
