// What the chat pane lists: the conversation's stored messages, plus the live turn's
// messages that the server has not returned yet (the optimistic user message, the
// answer being written). The live answer replaces its stored copy, so the animation
// keeps its place while the conversation is refetched underneath it.

import type { Message, MessageStatus } from "../api/types";
import { isUnsentTurn, type LiveTurn } from "./live-turn";

export type DisplayItem =
  | { kind: "user"; key: string; text: string; pending: boolean }
  | { kind: "assistant"; key: string; text: string; status: MessageStatus; live: LiveTurn | null };

export function turnBelongsTo(turn: LiveTurn | null, conversationId: string | null): turn is LiveTurn {
  return turn !== null && turn.conversationId === conversationId;
}

export function buildDisplayItems(stored: readonly Message[], turn: LiveTurn | null, conversationId: string | null): DisplayItem[] {
  // A message the server never took is back in the composer: nothing of it is listed.
  const live = turnBelongsTo(turn, conversationId) && !isUnsentTurn(turn) ? turn : null;
  const items: DisplayItem[] = [];
  let userStored = false;
  let answerStored = false;

  for (const message of stored) {
    if (message.role === "user") {
      if (live && message.id === live.userMessageId) userStored = true;
      items.push({ kind: "user", key: message.id, text: message.content, pending: false });
    } else if (live && message.id === live.assistantMessageId) {
      answerStored = true;
      items.push(
        storedCopyWins(live, message)
          ? { kind: "assistant", key: message.id, text: message.content, status: message.status, live: null }
          : { kind: "assistant", key: message.id, text: live.text, status: live.finalStatus ?? "streaming", live },
      );
    } else {
      items.push({ kind: "assistant", key: message.id, text: message.content, status: message.status, live: null });
    }
  }

  if (live) {
    if (live.userText !== null && !userStored) {
      items.push({ kind: "user", key: `pending-user-${live.localId}`, text: live.userText, pending: live.userMessageId === null });
    }
    if (!answerStored) {
      items.push({
        kind: "assistant",
        key: live.assistantMessageId ?? `pending-answer-${live.localId}`,
        text: live.text,
        status: live.finalStatus ?? "streaming",
        live,
      });
    }
  }
  return items;
}

/**
 * The live turn lost the server; once the stored copy has ended (the server finished the
 * answer meanwhile) it is the truth, not the text received before the connection broke.
 */
function storedCopyWins(live: LiveTurn, message: Message): boolean {
  return live.connectionLostAt !== null && message.status !== "streaming";
}

/** The last stored answer when it is still being generated: a reload should follow it. */
export function answerToFollow(stored: readonly Message[]): Message | null {
  const last = stored[stored.length - 1];
  return last && last.role === "assistant" && last.status === "streaming" ? last : null;
}
