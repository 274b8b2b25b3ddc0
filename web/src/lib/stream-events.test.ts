import { describe, expect, it } from "vitest";
import { decodeStreamEvent } from "./stream-events";

describe("decodeStreamEvent", () => {
  it("decodes each event type of the contract", () => {
    expect(
      decodeStreamEvent(
        '{"type":"start","message":"m","conversation_id":"c","user_message_id":"u","assistant_message_id":"a","timestamp":5}',
      ),
    ).toEqual({ type: "start", message: "m", conversation_id: "c", user_message_id: "u", assistant_message_id: "a", timestamp: 5 });
    expect(decodeStreamEvent('{"type":"content","data":"Hi","chunk_id":1,"total_chars":2}')).toEqual({
      type: "content",
      data: "Hi",
      chunk_id: 1,
      total_chars: 2,
    });
    const complete = decodeStreamEvent(
      '{"type":"complete","final_content":"Hi","message_id":"a","status":"stopped","stored_in_db":true,' +
        '"streaming_stats":{"chunks":1,"total_chars":2,"duration_ms":10,"time_to_first_chunk_ms":3,"chars_per_second":200,"fallback":"non_streaming"}}',
    );
    expect(complete).toMatchObject({ type: "complete", status: "stopped", stored_in_db: true });
    expect(complete?.type === "complete" && complete.streaming_stats?.fallback).toBe("non_streaming");
    expect(
      decodeStreamEvent('{"type":"error","error":{"code":"upstream_error","message":"boom"},"retryable":true,"stored_in_db":false}'),
    ).toEqual({ type: "error", error: { code: "upstream_error", message: "boom" }, retryable: true, stored_in_db: false });
  });

  it("drops malformed JSON, unknown types and events missing the fields the UI needs", () => {
    expect(decodeStreamEvent("not json")).toBeNull();
    expect(decodeStreamEvent('{"type":"ping"}')).toBeNull();
    expect(decodeStreamEvent('{"type":"content"}')).toBeNull();
    expect(decodeStreamEvent('{"type":"start","conversation_id":"c"}')).toBeNull();
    expect(decodeStreamEvent('{"type":"complete"}')).toBeNull();
    expect(decodeStreamEvent("[1,2]")).toBeNull();
  });
});
