import { describe, expect, it } from "vitest";
import type { Message } from "../api/types";
import { newAttachTurn, newSendTurn, reduceLiveTurn, type LiveTurn } from "./live-turn";
import { answerToFollow, buildDisplayItems } from "./message-view";

const stored: Message[] = [
  { id: "u0", role: "user", content: "Earlier question", status: "complete" },
  { id: "a0", role: "assistant", content: "Earlier answer", status: "complete" },
];

function started(turn: LiveTurn, conversationId = "c1"): LiveTurn {
  return reduceLiveTurn(turn, {
    type: "started",
    event: {
      type: "start",
      message: "",
      conversation_id: conversationId,
      user_message_id: "u1",
      assistant_message_id: "a1",
      timestamp: 0,
    },
  });
}

describe("buildDisplayItems", () => {
  it("lists nothing of a message the server never took: it is back in the composer", () => {
    const turn = reduceLiveTurn(newSendTurn("Unsent question", "c1"), {
      type: "failed",
      message: "Could not reach the server.",
      connectionLostAt: 1000,
    });
    expect(buildDisplayItems(stored, turn, "c1").map((item) => item.text)).toEqual(["Earlier question", "Earlier answer"]);
  });

  it("shows the stored answer once it has ended, after the connection was lost midway", () => {
    let turn = started(newSendTurn("New question", "c1"));
    turn = reduceLiveTurn(turn, { type: "content", text: "Half an ans" });
    turn = reduceLiveTurn(turn, { type: "failed", message: "Could not reach the server.", connectionLostAt: 1000 });
    const refetched: Message[] = [
      ...stored,
      { id: "u1", role: "user", content: "New question", status: "complete" },
      { id: "a1", role: "assistant", content: "Half an answer, then the rest of it.", status: "complete" },
    ];
    const items = buildDisplayItems(refetched, turn, "c1");
    expect(items).toHaveLength(4);
    expect(items[3]).toMatchObject({ kind: "assistant", text: "Half an answer, then the rest of it.", status: "complete", live: null });
    // Still being written on the server: the live turn stays in place until it is followed again.
    const stillStreaming = refetched.map((m) => (m.id === "a1" ? { ...m, status: "streaming" as const } : m));
    expect(buildDisplayItems(stillStreaming, turn, "c1")[3]).toMatchObject({ text: "Half an ans", live: turn });
  });

  it("shows the person's message at once, before the server knows it", () => {
    const turn = newSendTurn("New question", "c1");
    const items = buildDisplayItems(stored, turn, "c1");
    expect(items.map((item) => [item.kind, item.text])).toEqual([
      ["user", "Earlier question"],
      ["assistant", "Earlier answer"],
      ["user", "New question"],
      ["assistant", ""],
    ]);
    expect(items[2]).toMatchObject({ pending: true });
  });

  it("shows a first message of a new chat in the draft view", () => {
    const turn = newSendTurn("Hello", null);
    expect(buildDisplayItems([], turn, null).map((item) => item.kind)).toEqual(["user", "assistant"]);
  });

  it("keeps the live answer in place of its stored copy once the conversation is refetched", () => {
    let turn = started(newSendTurn("New question", "c1"));
    turn = reduceLiveTurn(turn, { type: "content", text: "Streaming text" });
    const refetched: Message[] = [
      ...stored,
      { id: "u1", role: "user", content: "New question", status: "complete" },
      { id: "a1", role: "assistant", content: "Stream", status: "streaming" },
    ];
    const items = buildDisplayItems(refetched, turn, "c1");
    expect(items).toHaveLength(4);
    expect(items[3]).toMatchObject({ kind: "assistant", key: "a1", text: "Streaming text", status: "streaming" });
    expect(items[3]?.kind === "assistant" && items[3].live).toBe(turn);
  });

  it("leaves other conversations alone", () => {
    const turn = newSendTurn("Question", "c1");
    expect(buildDisplayItems(stored, turn, "c2")).toHaveLength(2);
  });
});

describe("live turn", () => {
  it("ends on final_content, settling unless the server answered without streaming", () => {
    let turn = started(newSendTurn("Q", "c1"));
    turn = reduceLiveTurn(turn, { type: "content", text: "Hel" });
    const complete = {
      type: "complete" as const,
      final_content: "Hello",
      message_id: "a1",
      status: "complete" as const,
      stored_in_db: true,
      streaming_stats: null,
    };
    expect(reduceLiveTurn(turn, { type: "completed", event: complete })).toMatchObject({
      text: "Hello",
      phase: "done",
      reveal: "settle",
      finalStatus: "complete",
    });
    const fallbackStats = { chunks: 0, total_chars: 5, duration_ms: 1, time_to_first_chunk_ms: 0, chars_per_second: 0, fallback: "non_streaming" as const };
    expect(reduceLiveTurn(turn, { type: "completed", event: { ...complete, streaming_stats: fallbackStats } }).reveal).toBe("instant");
  });

  it("restarts the text when an attached stream replays from its start event", () => {
    let turn = newAttachTurn("c1", "a1");
    turn = reduceLiveTurn(turn, { type: "content", text: "old" });
    turn = started(turn);
    expect(turn.text).toBe("");
  });

  it("shows a whole answer from the fallback without animation", () => {
    const turn = reduceLiveTurn(newSendTurn("Q", null), {
      type: "whole_answer",
      response: { conversation_id: "c9", user_message_id: "u9", message: { id: "a9", role: "assistant", content: "All", status: "complete" } },
    });
    expect(turn).toMatchObject({ conversationId: "c9", assistantMessageId: "a9", text: "All", reveal: "instant", phase: "done" });
  });
});

describe("answerToFollow", () => {
  it("finds a last answer that is still streaming", () => {
    expect(answerToFollow(stored)).toBeNull();
    const streaming: Message = { id: "a1", role: "assistant", content: "par", status: "streaming" };
    expect(answerToFollow([...stored, streaming])).toBe(streaming);
  });
});
