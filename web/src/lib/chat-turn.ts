// One chat turn from the browser's side, with the fallback chain of the original app:
//
//   1. POST /api/chat/stream and show the answer as it streams.
//   2. If the stream breaks after `start` (network, proxy, no `complete`/`error`),
//      resume it with GET /api/chat/stream/{assistant_message_id} and Last-Event-ID.
//   3. If resuming fails too, or the stream failed before `start` with a 5xx or a
//      network error, ask POST /api/chat for the whole answer (shown without animation).
//
// Every request of the turn carries the same Idempotency-Key, so a fallback that repeats
// the turn attaches to the answer the server already started instead of storing the
// person's message twice. Refusals that a retry cannot fix (400, 401, 403, 404, 409, 413,
// 429) are reported as they are.

import { ApiError, isAbortError } from "../api/api-error";
import { requestWholeAnswer } from "../api/chat-api";
import type { FetchFunction } from "../api/http-client";
import type { ChatRequestBody, WholeAnswerResponse } from "../api/types";
import { newIdempotencyKey } from "./idempotency-key";
import type { CompleteEvent, ContentEvent, StartEvent, StreamErrorEvent } from "./stream-events";
import { openChatStream, resumeChatStream, type StreamOutcome } from "./streaming-client";

export type TurnPhase = "streaming" | "resuming" | "whole_answer";

export interface ChatTurnHandlers {
  onStart?: (event: StartEvent) => void;
  onContent?: (text: string, event: ContentEvent) => void;
  /** Which step of the chain is running now. */
  onPhase?: (phase: TurnPhase) => void;
}

export type ChatTurnResult =
  | { kind: "completed"; event: CompleteEvent; start: StartEvent | null }
  | { kind: "stream_error"; event: StreamErrorEvent; start: StartEvent | null }
  | { kind: "whole_answer"; response: WholeAnswerResponse; start: StartEvent | null }
  | { kind: "failed"; error: ApiError; start: StartEvent | null }
  | { kind: "aborted" };

export interface ChatTurnOptions {
  fetchImpl?: FetchFunction;
  signal?: AbortSignal;
  idempotencyKey?: string;
  /** Resume attempts in a row that bring no new event before giving up on the stream. */
  maxResumeAttemptsWithoutProgress?: number;
  /** Pause before each resume attempt, so a flapping network gets a moment. */
  resumeDelayMs?: number;
  idleTimeoutMs?: number;
}

// Five tries about 0.4, 0.8, 1.2, 1.2 and 1.2 s apart ride out a few seconds of a flapping
// network; while the browser knows it is offline, the wait for it to come back is free.
const DEFAULT_MAX_RESUME_ATTEMPTS = 5;
/** Longest wait for the browser to come back online before a resume is tried anyway. */
const OFFLINE_WAIT_MS = 60_000;
const DEFAULT_RESUME_DELAY_MS = 400;
/** Hard cap on resumes of one turn, whatever progress they make. */
const RESUME_ATTEMPTS_CAP = 20;

/** HTTP statuses that a repeat of the same request cannot turn into a success. */
const NON_RETRYABLE_STATUSES = new Set([400, 401, 403, 404, 409, 413, 429]);

export function isRetryableHttpError(error: ApiError): boolean {
  return !NON_RETRYABLE_STATUSES.has(error.status);
}

/** The request body size the server takes unless its operator changed it (API.md). */
const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Why a request whose connection broke before any answer was probably refused for its size.
 * A server drops the connection, without a 413, for a body far over its limit; retrying it
 * (the whole-answer fallback, resumes) could never succeed.
 */
export function tooLongToSend(request: ChatRequestBody): ApiError | null {
  const bytes = new TextEncoder().encode(JSON.stringify(request)).length;
  if (bytes <= DEFAULT_BODY_LIMIT_BYTES) return null;
  const kib = Math.ceil(bytes / 1024);
  return new ApiError(413, "payload_too_large", `the message is too long (${kib} KiB; the server takes up to ${DEFAULT_BODY_LIMIT_BYTES / 1024} KiB).`);
}

/** Sends the person's message and follows the answer through the fallback chain. */
export async function runChatTurn(
  request: ChatRequestBody,
  handlers: ChatTurnHandlers,
  options: ChatTurnOptions = {},
): Promise<ChatTurnResult> {
  const idempotencyKey = options.idempotencyKey ?? newIdempotencyKey();
  const streamOptions = streamOptionsFrom(options);
  let start: StartEvent | null = null;
  const callbacks = {
    onStart: (event: StartEvent) => {
      start = event;
      handlers.onStart?.(event);
    },
    onContent: handlers.onContent,
  };

  handlers.onPhase?.("streaming");
  const first = await openChatStream(request, idempotencyKey, callbacks, streamOptions);
  const settled = settledResult(first, start);
  if (settled !== null) return settled;

  if (first.kind === "http_error" && !isRetryableHttpError(first.error)) {
    return { kind: "failed", error: first.error, start };
  }
  if (first.kind === "broken" && first.start === null) {
    const tooLong = tooLongToSend(request);
    if (tooLong !== null) return { kind: "failed", error: tooLong, start };
  }
  if (first.kind === "broken" && first.start !== null) {
    const resumed = await resumeUntilSettled(first.start.assistant_message_id, first.lastEventId, callbacks, handlers, options);
    if (resumed.result !== null) return withStart(resumed.result, start);
    if (resumed.stopFallbacks !== null) return { kind: "failed", error: resumed.stopFallbacks, start };
  }
  return requestWholeAnswerFallback(request, idempotencyKey, handlers, options, start);
}

/**
 * Follows an answer that is already being generated (a reload while it streams):
 * replays its stream from the first event, resuming if that breaks. There is no
 * whole-answer fallback here, because repeating the turn would store the message again.
 */
export async function attachToAnswer(
  assistantMessageId: string,
  handlers: ChatTurnHandlers,
  options: ChatTurnOptions = {},
): Promise<ChatTurnResult> {
  let start: StartEvent | null = null;
  const callbacks = {
    onStart: (event: StartEvent) => {
      start = event;
      handlers.onStart?.(event);
    },
    onContent: handlers.onContent,
  };
  handlers.onPhase?.("streaming");
  const first = await resumeChatStream(assistantMessageId, "", callbacks, streamOptionsFrom(options));
  const settled = settledResult(first, start);
  if (settled !== null) return settled;
  if (first.kind === "http_error") return { kind: "failed", error: first.error, start };
  if (first.kind === "broken") {
    const resumed = await resumeUntilSettled(assistantMessageId, first.lastEventId, callbacks, handlers, options);
    if (resumed.result !== null) return withStart(resumed.result, start);
    return { kind: "failed", error: resumed.stopFallbacks ?? first.error, start };
  }
  return { kind: "failed", error: new ApiError(0, "stream_failed", "The answer could not be followed."), start };
}

function streamOptionsFrom(options: ChatTurnOptions) {
  return {
    ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
  };
}

/** The turn's result when a stream outcome ends it (complete, error event, abort). */
function settledResult(outcome: StreamOutcome, start: StartEvent | null): ChatTurnResult | null {
  switch (outcome.kind) {
    case "complete":
      return { kind: "completed", event: outcome.event, start };
    case "error_event":
      return { kind: "stream_error", event: outcome.event, start };
    case "aborted":
      return { kind: "aborted" };
    default:
      return null;
  }
}

function withStart(result: ChatTurnResult, start: StartEvent | null): ChatTurnResult {
  if (result.kind === "aborted") return result;
  return { ...result, start: result.start ?? start };
}

interface ResumeResult {
  /** Set when the resumed stream settled the turn. */
  result: ChatTurnResult | null;
  /** Set when the server refused in a way no later fallback can fix (e.g. 401). */
  stopFallbacks: ApiError | null;
}

async function resumeUntilSettled(
  assistantMessageId: string,
  lastEventId: string,
  callbacks: Parameters<typeof resumeChatStream>[2],
  handlers: ChatTurnHandlers,
  options: ChatTurnOptions,
): Promise<ResumeResult> {
  const maxWithoutProgress = options.maxResumeAttemptsWithoutProgress ?? DEFAULT_MAX_RESUME_ATTEMPTS;
  const delayMs = options.resumeDelayMs ?? DEFAULT_RESUME_DELAY_MS;
  let attemptsWithoutProgress = 0;
  let cursor = lastEventId;
  for (let attempt = 0; attempt < RESUME_ATTEMPTS_CAP && attemptsWithoutProgress < maxWithoutProgress; attempt++) {
    handlers.onPhase?.("resuming");
    if (!(await pause(delayMs * Math.min(attemptsWithoutProgress + 1, 3), options.signal))) {
      return { result: { kind: "aborted" }, stopFallbacks: null };
    }
    if (!(await onlineAgain(OFFLINE_WAIT_MS, options.signal))) {
      return { result: { kind: "aborted" }, stopFallbacks: null };
    }
    const outcome = await resumeChatStream(assistantMessageId, cursor, callbacks, streamOptionsFrom(options));
    const settled = settledResult(outcome, null);
    if (settled !== null) return { result: settled, stopFallbacks: null };
    if (outcome.kind === "http_error") {
      // 401: the session is gone, asking again elsewhere will not help either.
      if (outcome.error.isUnauthenticated) return { result: null, stopFallbacks: outcome.error };
      // Anything else (404 once the server forgot the stream, 5xx): try the next fallback.
      return { result: null, stopFallbacks: null };
    }
    if (outcome.kind === "broken") {
      if (outcome.eventsReceived > 0) attemptsWithoutProgress = 0;
      else attemptsWithoutProgress++;
      cursor = outcome.lastEventId;
    }
  }
  return { result: null, stopFallbacks: null };
}

async function requestWholeAnswerFallback(
  request: ChatRequestBody,
  idempotencyKey: string,
  handlers: ChatTurnHandlers,
  options: ChatTurnOptions,
  start: StartEvent | null,
): Promise<ChatTurnResult> {
  handlers.onPhase?.("whole_answer");
  // The very same body and key: if the server already started this turn, it attaches to
  // it and answers with the stored result instead of making a second one.
  try {
    const response = await requestWholeAnswer(request, idempotencyKey, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
    });
    return { kind: "whole_answer", response, start };
  } catch (error) {
    if (isAbortError(error)) return { kind: "aborted" };
    if (error instanceof ApiError) return { kind: "failed", error, start };
    throw error;
  }
}

/**
 * Resolves true as soon as the browser is online (at once when it is, or when it cannot
 * tell), or after `maxMs`; false when the signal aborts first.
 */
function onlineAgain(maxMs: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  if (typeof navigator === "undefined" || navigator.onLine !== false || typeof window === "undefined") {
    return Promise.resolve(true);
  }
  return new Promise((resolve) => {
    const done = (value: boolean) => {
      clearTimeout(timer);
      window.removeEventListener("online", onOnline);
      signal?.removeEventListener("abort", onAbort);
      resolve(value);
    };
    const onOnline = () => done(true);
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), maxMs);
    window.addEventListener("online", onOnline);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Waits, or resolves false at once when the signal aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
