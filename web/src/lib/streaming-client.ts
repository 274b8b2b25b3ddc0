// The browser's side of chatd's answer stream, like the original app's
// lib/streaming-client.ts: open the stream with fetch, read the body as it arrives,
// parse SSE and fire one callback per event. It makes no decision about fallbacks;
// it reports how the stream ended (StreamOutcome) and chat-turn.ts decides what next.

import { ApiError, apiErrorFromResponse, networkError } from "../api/api-error";
import type { FetchFunction } from "../api/http-client";
import type { ChatRequestBody } from "../api/types";
import { SseParser } from "./sse-parser";
import {
  decodeStreamEvent,
  type CompleteEvent,
  type ContentEvent,
  type StartEvent,
  type StreamErrorEvent,
  type StreamEvent,
} from "./stream-events";

export interface StreamCallbacks {
  onStart?: (event: StartEvent) => void;
  /** `text` is the new piece only; the caller accumulates it. */
  onContent?: (text: string, event: ContentEvent) => void;
  onComplete?: (event: CompleteEvent) => void;
  onError?: (event: StreamErrorEvent) => void;
}

export type StreamOutcome =
  /** The stream ended with `complete`. */
  | { kind: "complete"; event: CompleteEvent; lastEventId: string }
  /** The server ended the stream with an `error` event. */
  | { kind: "error_event"; event: StreamErrorEvent; lastEventId: string }
  /** The server refused before streaming (validation, auth, limits, 5xx …). */
  | { kind: "http_error"; error: ApiError }
  /** Could not connect, or the body stopped or went quiet before `complete`/`error`. */
  | { kind: "broken"; error: ApiError; lastEventId: string; start: StartEvent | null; eventsReceived: number }
  /** The caller's AbortSignal fired. */
  | { kind: "aborted"; lastEventId: string };

export interface StreamOptions {
  signal?: AbortSignal;
  fetchImpl?: FetchFunction;
  /**
   * A stream silent for this long counts as broken. chatd sends a keep-alive comment at
   * least every 15 s, so three missed keep-alives mean the connection is gone.
   */
  idleTimeoutMs?: number;
}

const DEFAULT_IDLE_TIMEOUT_MS = 45_000;

/** `POST /api/chat/stream`: sends the person's message and streams the answer. */
export function openChatStream(
  body: ChatRequestBody,
  idempotencyKey: string,
  callbacks: StreamCallbacks,
  options: StreamOptions = {},
): Promise<StreamOutcome> {
  return runEventStream(
    "/api/chat/stream",
    {
      method: "POST",
      headers: {
        Accept: "text/event-stream",
        "Content-Type": "application/json",
        "Idempotency-Key": idempotencyKey,
      },
      body: JSON.stringify(body),
    },
    "",
    callbacks,
    options,
  );
}

/**
 * `GET /api/chat/stream/{id}`: the same stream again. With a last event id the server
 * replays only what came after it; without one (a reload) it replays from the first event.
 */
export function resumeChatStream(
  assistantMessageId: string,
  lastEventId: string,
  callbacks: StreamCallbacks,
  options: StreamOptions = {},
): Promise<StreamOutcome> {
  const headers: Record<string, string> = { Accept: "text/event-stream" };
  if (lastEventId !== "") headers["Last-Event-ID"] = lastEventId;
  return runEventStream(
    `/api/chat/stream/${encodeURIComponent(assistantMessageId)}`,
    { method: "GET", headers },
    lastEventId,
    callbacks,
    options,
  );
}

/** Numeric value of an SSE id, or null when it is not a plain integer. */
function eventSequence(id: string): number | null {
  return /^\d+$/.test(id) ? Number(id) : null;
}

async function runEventStream(
  url: string,
  init: RequestInit,
  initialLastEventId: string,
  callbacks: StreamCallbacks,
  options: StreamOptions,
): Promise<StreamOutcome> {
  const fetchImpl = options.fetchImpl ?? globalThis.fetch.bind(globalThis);
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const parser = new SseParser(initialLastEventId);
  // One controller for the request: aborted by the caller's signal or by the idle watchdog.
  // The reader is cancelled as well, because not every body honours the fetch's signal.
  const controller = new AbortController();
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  let abortedByCaller = false;
  let wentQuiet = false;
  const cancelRequest = () => {
    controller.abort();
    reader?.cancel().catch(() => undefined);
  };
  const onCallerAbort = () => {
    abortedByCaller = true;
    cancelRequest();
  };
  if (options.signal?.aborted) return { kind: "aborted", lastEventId: initialLastEventId };
  options.signal?.addEventListener("abort", onCallerAbort, { once: true });

  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const resetIdleTimer = () => {
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      wentQuiet = true;
      cancelRequest();
    }, idleTimeoutMs);
  };

  let start: StartEvent | null = null;
  let eventsReceived = 0;
  // Events at or before this sequence number were already handled (a resume replays
  // from Last-Event-ID + 1, but a repeat must never be shown twice).
  let highestSequence = eventSequence(initialLastEventId) ?? 0;

  const broken = (error: ApiError): StreamOutcome =>
    abortedByCaller
      ? { kind: "aborted", lastEventId: parser.currentLastEventId }
      : { kind: "broken", error, lastEventId: parser.currentLastEventId, start, eventsReceived };

  /** Handles one decoded event; returns the outcome when it ends the stream. */
  const handleEvent = (event: StreamEvent): StreamOutcome | null => {
    eventsReceived++;
    switch (event.type) {
      case "start":
        start = event;
        callbacks.onStart?.(event);
        return null;
      case "content":
        callbacks.onContent?.(event.data, event);
        return null;
      case "complete":
        callbacks.onComplete?.(event);
        return { kind: "complete", event, lastEventId: parser.currentLastEventId };
      case "error":
        callbacks.onError?.(event);
        return { kind: "error_event", event, lastEventId: parser.currentLastEventId };
    }
  };

  try {
    resetIdleTimer();
    let response: Response;
    try {
      response = await fetchImpl(url, { ...init, credentials: "same-origin", cache: "no-store", signal: controller.signal });
    } catch (error) {
      return broken(wentQuiet ? quietError() : networkError(error));
    }
    if (!response.ok) return { kind: "http_error", error: await apiErrorFromResponse(response) };
    const contentType = response.headers.get("Content-Type") ?? "";
    if (!contentType.includes("text/event-stream") || response.body === null) {
      return broken(new ApiError(response.status, "invalid_response", "The server did not answer with an event stream."));
    }

    const bodyReader = response.body.getReader();
    reader = bodyReader;
    if (abortedByCaller || wentQuiet) return broken(quietError());
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await bodyReader.read();
      } catch (error) {
        return broken(wentQuiet ? quietError() : networkError(error));
      }
      if (wentQuiet || abortedByCaller) return broken(quietError());
      resetIdleTimer();
      const items = chunk.done ? parser.end() : parser.pushBytes(chunk.value);
      for (const item of items) {
        if (item.kind !== "event") continue; // keep-alive comments only feed the watchdog
        const sequence = item.ownId === null ? null : eventSequence(item.ownId);
        if (sequence !== null) {
          if (sequence <= highestSequence) continue;
          highestSequence = sequence;
        }
        const event = decodeStreamEvent(item.data);
        if (event === null) continue;
        const outcome = handleEvent(event);
        if (outcome !== null) {
          // The server closes the stream after its last event; no need to wait for it.
          bodyReader.cancel().catch(() => undefined);
          return outcome;
        }
      }
      if (chunk.done) {
        return broken(new ApiError(0, "stream_ended", "The answer stream ended before the answer was complete."));
      }
    }
  } finally {
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    options.signal?.removeEventListener("abort", onCallerAbort);
  }
}

function quietError(): ApiError {
  return new ApiError(0, "stream_idle", "The answer stream went quiet.");
}
