import { describe, expect, it, vi } from "vitest";
import {
  completeEvent,
  contentEvent,
  createFakeFetch,
  errorResponse,
  sseEvent,
  sseResponse,
  startEvent,
} from "../test-support/fake-fetch";
import { openChatStream, resumeChatStream } from "./streaming-client";

describe("openChatStream", () => {
  it("posts the message with an Idempotency-Key and fires one callback per event", async () => {
    const body =
      sseEvent(1, startEvent) + ": keep-alive\n\n" + sseEvent(2, contentEvent(1, "Hel", 3)) + sseEvent(3, contentEvent(2, "lo", 5)) + sseEvent(4, completeEvent("Hello"));
    // Deliver the body in awkward pieces to go through the incremental path.
    const pieces = body.match(/[\s\S]{1,13}/g) ?? [];
    const fake = createFakeFetch([() => sseResponse(pieces)]);
    const onStart = vi.fn();
    const contents: string[] = [];
    const onComplete = vi.fn();

    const outcome = await openChatStream(
      { message: "Hi", conversation_id: "conv-1" },
      "key-1",
      { onStart, onContent: (text) => contents.push(text), onComplete },
      { fetchImpl: fake.fetch },
    );

    expect(fake.requests[0]).toMatchObject({
      url: "/api/chat/stream",
      method: "POST",
      body: { message: "Hi", conversation_id: "conv-1" },
    });
    expect(fake.requests[0]?.headers["idempotency-key"]).toBe("key-1");
    expect(onStart).toHaveBeenCalledWith(expect.objectContaining({ assistant_message_id: "asst-1" }));
    expect(contents).toEqual(["Hel", "lo"]);
    expect(onComplete).toHaveBeenCalledWith(expect.objectContaining({ final_content: "Hello" }));
    expect(outcome).toMatchObject({ kind: "complete", lastEventId: "4" });
  });

  it("reports a JSON error answered before the stream as an http_error", async () => {
    const fake = createFakeFetch([() => errorResponse(409, "stream_in_progress", "An answer is already streaming")]);
    const outcome = await openChatStream({ message: "Hi" }, "k", {}, { fetchImpl: fake.fetch });
    expect(outcome.kind).toBe("http_error");
    expect(outcome.kind === "http_error" && [outcome.error.status, outcome.error.code, outcome.error.message]).toEqual([
      409,
      "stream_in_progress",
      "An answer is already streaming",
    ]);
  });

  it("reports a body that ends without complete or error as broken, with the last id seen", async () => {
    const fake = createFakeFetch([() => sseResponse([sseEvent(1, startEvent), sseEvent(2, contentEvent(1, "Hi", 2))])]);
    const outcome = await openChatStream({ message: "Hi" }, "k", {}, { fetchImpl: fake.fetch });
    expect(outcome).toMatchObject({ kind: "broken", lastEventId: "2", eventsReceived: 2 });
    expect(outcome.kind === "broken" && outcome.start?.assistant_message_id).toBe("asst-1");
  });

  it("reports a dropped connection as broken", async () => {
    const fake = createFakeFetch([() => sseResponse([sseEvent(1, startEvent)], { thenBreak: true })]);
    const outcome = await openChatStream({ message: "Hi" }, "k", {}, { fetchImpl: fake.fetch });
    expect(outcome).toMatchObject({ kind: "broken", lastEventId: "1" });
  });

  it("ends with the server's error event", async () => {
    const error = { type: "error", error: { code: "upstream_error", message: "Provider failed" }, retryable: true, stored_in_db: false };
    const onError = vi.fn();
    const fake = createFakeFetch([() => sseResponse([sseEvent(1, startEvent), sseEvent(2, error)])]);
    const outcome = await openChatStream({ message: "Hi" }, "k", { onError }, { fetchImpl: fake.fetch });
    expect(outcome.kind).toBe("error_event");
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ retryable: true }));
  });

  it("treats a stream that goes quiet past the idle timeout as broken", async () => {
    const fake = createFakeFetch([
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(new TextEncoder().encode(sseEvent(1, startEvent)));
              // ...and then nothing, not even a keep-alive.
            },
          }),
          { headers: { "Content-Type": "text/event-stream" } },
        ),
    ]);
    const outcome = await openChatStream({ message: "Hi" }, "k", {}, { fetchImpl: fake.fetch, idleTimeoutMs: 50 });
    expect(outcome).toMatchObject({ kind: "broken", lastEventId: "1" });
    expect(outcome.kind === "broken" && outcome.error.code).toBe("stream_idle");
  });

  it("reports an abort by the caller as aborted, not as a failure", async () => {
    const controller = new AbortController();
    const fake = createFakeFetch([
      (request) => {
        void request;
        controller.abort();
        throw new DOMException("aborted", "AbortError");
      },
    ]);
    const outcome = await openChatStream({ message: "Hi" }, "k", {}, { fetchImpl: fake.fetch, signal: controller.signal });
    expect(outcome.kind).toBe("aborted");
  });
});

describe("resumeChatStream", () => {
  it("sends Last-Event-ID and skips any event it already had", async () => {
    const fake = createFakeFetch([
      () => sseResponse([sseEvent(2, contentEvent(1, "dup", 3)), sseEvent(3, contentEvent(2, "new", 6)), sseEvent(4, completeEvent("dupnew"))]),
    ]);
    const contents: string[] = [];
    const outcome = await resumeChatStream("asst-1", "2", { onContent: (text) => contents.push(text) }, { fetchImpl: fake.fetch });
    expect(fake.requests[0]).toMatchObject({ url: "/api/chat/stream/asst-1", method: "GET" });
    expect(fake.requests[0]?.headers["last-event-id"]).toBe("2");
    expect(contents).toEqual(["new"]);
    expect(outcome.kind).toBe("complete");
  });

  it("sends no Last-Event-ID when attaching from the start (a reload)", async () => {
    const fake = createFakeFetch([() => sseResponse([sseEvent(1, completeEvent("All of it"))])]);
    const outcome = await resumeChatStream("asst-1", "", {}, { fetchImpl: fake.fetch });
    expect(fake.requests[0]?.headers["last-event-id"]).toBeUndefined();
    expect(outcome).toMatchObject({ kind: "complete", event: { final_content: "All of it" } });
  });
});
