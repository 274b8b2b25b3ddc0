import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "../api/api-error";
import { stopAnswer } from "../api/chat-api";
import { queryKeys } from "../api/query-keys";
import { attachToAnswer, runChatTurn, type ChatTurnHandlers, type ChatTurnResult } from "../lib/chat-turn";
import { keepDraftForAfterSignIn } from "../lib/draft";
import { newIdempotencyKey } from "../lib/idempotency-key";
import {
  isTurnActive,
  newAttachTurn,
  newSendTurn,
  reduceLiveTurn,
  type LiveTurn,
  type LiveTurnAction,
} from "../lib/live-turn";

interface RunningTurn {
  localId: string;
  controller: AbortController;
  stopRequested: boolean;
  /** Known from `start` (or from the outset when attaching); read by stop(). */
  assistantMessageId: string | null;
}

/** A message the server never took, kept so that sending it again is the same turn. */
interface UnsentMessage {
  text: string;
  conversationId: string | null;
  idempotencyKey: string;
}

/** How often, and how many times, a turn that lost the server looks for it again. */
const RECONNECT_CHECK_MS = 3000;
const RECONNECT_CHECKS = 20;

export interface ChatTurnControls {
  turn: LiveTurn | null;
  active: boolean;
  send: (text: string, conversationId: string | null) => void;
  attach: (conversationId: string, assistantMessageId: string) => void;
  stop: () => void;
  /** Drops the turn without stopping the answer on the server (sign-out, deletion). */
  abandon: () => void;
}

/**
 * Runs one chat turn at a time and keeps its state for the UI.
 * `onConversationKnown` is told which conversation the turn belongs to as soon as the
 * server says so (a first message creates one), so the app can select it.
 */
export function useChatTurn(onConversationKnown: (conversationId: string, turn: LiveTurn) => void): ChatTurnControls {
  const queryClient = useQueryClient();
  const [turn, setTurn] = useState<LiveTurn | null>(null);
  const runningRef = useRef<RunningTurn | null>(null);
  const unsentRef = useRef<UnsentMessage | null>(null);
  const onConversationKnownRef = useRef(onConversationKnown);
  onConversationKnownRef.current = onConversationKnown;

  const dispatch = useCallback((localId: string, action: LiveTurnAction) => {
    setTurn((current) => (current !== null && current.localId === localId ? reduceLiveTurn(current, action) : current));
  }, []);

  const sendStop = useCallback(
    (localId: string, assistantMessageId: string) => {
      stopAnswer(assistantMessageId).catch((error: unknown) => {
        const message = error instanceof ApiError ? error.message : "The answer could not be stopped.";
        dispatch(localId, { type: "stop_failed", message });
      });
    },
    [dispatch],
  );

  const refreshAfterTurn = useCallback(
    (conversationId: string | null) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.conversations });
      if (conversationId !== null) void queryClient.invalidateQueries({ queryKey: queryKeys.conversation(conversationId) });
    },
    [queryClient],
  );

  // The server could not be reached: look at the conversation again now and then, until a
  // fetch succeeds. What it then holds is shown (or followed, if still being written).
  const lookAgainLater = useCallback(
    (running: RunningTurn, conversationId: string, lostAt: number) => {
      const key = queryKeys.conversation(conversationId);
      let checks = 0;
      const check = () => {
        if (runningRef.current !== null && runningRef.current !== running) return; // a newer turn
        void queryClient.refetchQueries({ queryKey: key }).then(() => {
          const fetchedAt = queryClient.getQueryState(key)?.dataUpdatedAt ?? 0;
          if (fetchedAt <= lostAt && ++checks < RECONNECT_CHECKS) setTimeout(check, RECONNECT_CHECK_MS);
        });
      };
      setTimeout(check, RECONNECT_CHECK_MS);
    },
    [queryClient],
  );

  const run = useCallback(
    async (initial: LiveTurn, execute: (handlers: ChatTurnHandlers, signal: AbortSignal) => Promise<ChatTurnResult>) => {
      runningRef.current?.controller.abort();
      const running: RunningTurn = {
        localId: initial.localId,
        controller: new AbortController(),
        stopRequested: false,
        assistantMessageId: initial.assistantMessageId,
      };
      runningRef.current = running;
      setTurn(initial);
      const id = initial.localId;
      let conversationId = initial.conversationId;

      const handlers: ChatTurnHandlers = {
        onStart: (event) => {
          dispatch(id, { type: "started", event });
          running.assistantMessageId = event.assistant_message_id;
          if (running.stopRequested) sendStop(id, event.assistant_message_id);
          if (conversationId === null) {
            // A first message made a new conversation: show it in the list right away.
            void queryClient.invalidateQueries({ queryKey: queryKeys.conversations });
          }
          conversationId = event.conversation_id;
          onConversationKnownRef.current(event.conversation_id, initial);
        },
        onContent: (text) => dispatch(id, { type: "content", text }),
        onPhase: (phase) => dispatch(id, { type: "phase", phase }),
      };

      const result = await execute(handlers, running.controller.signal);
      if (runningRef.current === running) runningRef.current = null;
      const lostAt = result.kind === "failed" && result.error.status === 0 ? Date.now() : null;
      switch (result.kind) {
        case "aborted":
          return result;
        case "completed":
          dispatch(id, { type: "completed", event: result.event });
          break;
        case "stream_error":
          dispatch(id, { type: "stream_error", event: result.event });
          break;
        case "whole_answer":
          dispatch(id, { type: "whole_answer", response: result.response });
          if (conversationId === null) onConversationKnownRef.current(result.response.conversation_id, initial);
          conversationId = result.response.conversation_id;
          break;
        case "failed":
          if (result.error.isUnauthenticated) {
            // The sign-in screen replaces the chat: what was typed waits for it there.
            if (result.start === null && initial.userText !== null) keepDraftForAfterSignIn(initial.userText);
            queryClient.setQueryData(queryKeys.session, null);
          }
          dispatch(id, { type: "failed", message: result.error.message, connectionLostAt: lostAt });
          break;
      }
      refreshAfterTurn(conversationId);
      if (lostAt !== null && conversationId !== null) lookAgainLater(running, conversationId, lostAt);
      return result;
    },
    [dispatch, queryClient, refreshAfterTurn, sendStop, lookAgainLater],
  );

  const send = useCallback(
    (text: string, conversationId: string | null) => {
      const body = conversationId === null ? { message: text } : { message: text, conversation_id: conversationId };
      // The same message sent again after it failed keeps its key: if the server did take it
      // (only the answer was lost), the repeat attaches to that turn instead of a second one.
      const unsent = unsentRef.current;
      const idempotencyKey =
        unsent !== null && unsent.text === text && unsent.conversationId === conversationId ? unsent.idempotencyKey : newIdempotencyKey();
      unsentRef.current = null;
      void run(newSendTurn(text, conversationId), (handlers, signal) => runChatTurn(body, handlers, { signal, idempotencyKey })).then(
        (result) => {
          if (result?.kind === "failed" && result.start === null) unsentRef.current = { text, conversationId, idempotencyKey };
        },
      );
    },
    [run],
  );

  const attach = useCallback(
    (conversationId: string, assistantMessageId: string) => {
      void run(newAttachTurn(conversationId, assistantMessageId), (handlers, signal) =>
        attachToAnswer(assistantMessageId, handlers, { signal }),
      );
    },
    [run],
  );

  const stop = useCallback(() => {
    const running = runningRef.current;
    if (running === null || running.stopRequested) return;
    running.stopRequested = true;
    dispatch(running.localId, { type: "stop_requested" });
    // Before `start` there is no message to stop yet; onStart sends the stop then.
    if (running.assistantMessageId !== null) sendStop(running.localId, running.assistantMessageId);
  }, [dispatch, sendStop]);

  const abandon = useCallback(() => {
    runningRef.current?.controller.abort();
    runningRef.current = null;
    setTurn(null);
  }, []);

  useEffect(() => () => runningRef.current?.controller.abort(), []);

  return { turn, active: isTurnActive(turn), send, attach, stop, abandon };
}
