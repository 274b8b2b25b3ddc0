// The state of the answer being worked on right now (a sent message, or an answer
// picked up again after a reload), as a pure reducer so its rules can be tested alone.

import type { MessageStatus, WholeAnswerResponse } from "../api/types";
import type { TurnPhase } from "./chat-turn";
import type { CompleteEvent, StartEvent, StreamErrorEvent } from "./stream-events";
import type { RevealMode } from "./text-revealer";

export interface LiveTurn {
  /** Local identity, so late callbacks of an earlier turn are recognised and ignored. */
  localId: string;
  kind: "send" | "attach";
  /** Null until `start` names the conversation a first message created. */
  conversationId: string | null;
  /** What the person typed (null when attaching to an answer after a reload). */
  userText: string | null;
  userMessageId: string | null;
  assistantMessageId: string | null;
  /** The answer as received so far; `final_content` once complete. */
  text: string;
  phase: "waiting" | TurnPhase | "done";
  reveal: RevealMode;
  /** Stored status once the turn has ended. */
  finalStatus: MessageStatus | null;
  /** For the person: why the answer is missing or incomplete. */
  error: string | null;
  /**
   * When the turn ended because the server could not be reached (ms since epoch): the
   * server may well have finished the answer meanwhile, so what it stores wins, and an
   * answer it is still writing is followed again once it can be reached.
   */
  connectionLostAt: number | null;
  stopRequested: boolean;
}

export type LiveTurnAction =
  | { type: "started"; event: StartEvent }
  | { type: "content"; text: string }
  | { type: "phase"; phase: TurnPhase }
  | { type: "completed"; event: CompleteEvent }
  | { type: "stream_error"; event: StreamErrorEvent }
  | { type: "whole_answer"; response: WholeAnswerResponse }
  | { type: "failed"; message: string; connectionLostAt: number | null }
  | { type: "stop_requested" }
  | { type: "stop_failed"; message: string };

let turnCounter = 0;

function nextLocalId(): string {
  turnCounter += 1;
  return `turn-${turnCounter}`;
}

export function newSendTurn(text: string, conversationId: string | null): LiveTurn {
  return {
    localId: nextLocalId(),
    kind: "send",
    conversationId,
    userText: text,
    userMessageId: null,
    assistantMessageId: null,
    text: "",
    phase: "waiting",
    reveal: "stream",
    finalStatus: null,
    error: null,
    connectionLostAt: null,
    stopRequested: false,
  };
}

export function newAttachTurn(conversationId: string, assistantMessageId: string): LiveTurn {
  return {
    ...newSendTurn("", conversationId),
    kind: "attach",
    userText: null,
    assistantMessageId,
  };
}

export function isTurnActive(turn: LiveTurn | null): boolean {
  return turn !== null && turn.phase !== "done";
}

/** A message the server never took: it goes back to the composer, with why. */
export function isUnsentTurn(turn: LiveTurn | null): turn is LiveTurn & { userText: string } {
  return (
    turn !== null &&
    turn.kind === "send" &&
    turn.phase === "done" &&
    turn.error !== null &&
    turn.userMessageId === null &&
    turn.userText !== null
  );
}

export function reduceLiveTurn(turn: LiveTurn, action: LiveTurnAction): LiveTurn {
  switch (action.type) {
    case "started":
      return {
        ...turn,
        conversationId: action.event.conversation_id,
        userMessageId: action.event.user_message_id || turn.userMessageId,
        assistantMessageId: action.event.assistant_message_id,
        // A replay from the first event (attach) repeats all content: start over.
        text: "",
        phase: turn.phase === "waiting" || turn.phase === "resuming" ? "streaming" : turn.phase,
      };
    case "content":
      return {
        ...turn,
        text: turn.text + action.text,
        phase: turn.phase === "waiting" || turn.phase === "resuming" ? "streaming" : turn.phase,
      };
    case "phase":
      // "streaming" is announced before the request goes out; the turn stays "waiting"
      // until the first event shows that the stream really flows.
      if (action.phase === "streaming" || turn.phase === "done") return turn;
      return { ...turn, phase: action.phase };
    case "completed": {
      const replacedByFallback = action.event.streaming_stats?.fallback === "non_streaming";
      return {
        ...turn,
        assistantMessageId: action.event.message_id || turn.assistantMessageId,
        text: action.event.final_content,
        phase: "done",
        // The server's first fallback answered without streaming: show it whole.
        reveal: replacedByFallback ? "instant" : "settle",
        finalStatus: action.event.status,
        error: null,
      };
    }
    case "stream_error":
      return {
        ...turn,
        phase: "done",
        reveal: "settle",
        finalStatus: "failed",
        error: action.event.error.message,
      };
    case "whole_answer":
      return {
        ...turn,
        conversationId: action.response.conversation_id,
        userMessageId: action.response.user_message_id,
        assistantMessageId: action.response.message.id,
        text: action.response.message.content,
        phase: "done",
        reveal: "instant",
        finalStatus: action.response.message.status,
        error: null,
      };
    case "failed":
      return {
        ...turn,
        phase: "done",
        reveal: "settle",
        finalStatus: "failed",
        error: action.message,
        connectionLostAt: action.connectionLostAt,
      };
    case "stop_requested":
      return { ...turn, stopRequested: true };
    case "stop_failed":
      return { ...turn, stopRequested: false, error: action.message };
  }
}
