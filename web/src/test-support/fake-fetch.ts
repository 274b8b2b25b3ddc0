// A scripted stand-in for fetch: each call takes the next scripted answer, and every
// request is recorded so tests can check URLs, headers and bodies.

export interface RecordedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

export type ScriptedAnswer = (request: RecordedRequest) => Response | Promise<Response>;

export interface FakeFetch {
  fetch: typeof fetch;
  requests: RecordedRequest[];
}

function headersOf(init: RequestInit | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, name) => {
    result[name.toLowerCase()] = value;
  });
  return result;
}

export function createFakeFetch(script: ScriptedAnswer[]): FakeFetch {
  const requests: RecordedRequest[] = [];
  let next = 0;
  const fakeFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request: RecordedRequest = {
      url: typeof input === "string" ? input : input instanceof URL ? input.toString() : input.url,
      method: init?.method ?? "GET",
      headers: headersOf(init),
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
    };
    requests.push(request);
    const answer = script[next++];
    if (!answer) throw new Error(`unexpected request ${request.method} ${request.url}`);
    if (init?.signal?.aborted) throw new DOMException("aborted", "AbortError");
    return answer(request);
  };
  return { fetch: fakeFetch as typeof fetch, requests };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

export function errorResponse(status: number, code: string, message = code): Response {
  return jsonResponse(status, { error: { code, message } });
}

/** One SSE event as chatd writes it. */
export function sseEvent(id: number, payload: unknown): string {
  return `id: ${id}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/**
 * An event-stream response sending `chunks`, then closing normally, or failing like a
 * dropped connection when `thenBreak` is set.
 */
export function sseResponse(chunks: string[], options: { thenBreak?: boolean } = {}): Response {
  const encoder = new TextEncoder();
  let next = 0;
  // Pull-based, so that the failure comes after the chunks were read (an error()
  // called up front would discard whatever is still queued).
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk !== undefined) controller.enqueue(encoder.encode(chunk));
      else if (options.thenBreak) controller.error(new TypeError("network connection was lost"));
      else controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } });
}

export function networkFailure(): never {
  throw new TypeError("Failed to fetch");
}

export const startEvent = {
  type: "start",
  message: "Answer started",
  conversation_id: "conv-1",
  user_message_id: "user-1",
  assistant_message_id: "asst-1",
  timestamp: 1_700_000_000_000,
};

export function contentEvent(chunkId: number, data: string, totalChars: number) {
  return { type: "content", data, chunk_id: chunkId, total_chars: totalChars };
}

export function completeEvent(finalContent: string, status: "complete" | "stopped" = "complete") {
  return {
    type: "complete",
    final_content: finalContent,
    message_id: "asst-1",
    status,
    stored_in_db: true,
    streaming_stats: {
      chunks: 2,
      total_chars: finalContent.length,
      duration_ms: 100,
      time_to_first_chunk_ms: 10,
      chars_per_second: 100,
      fallback: "none",
    },
  };
}
