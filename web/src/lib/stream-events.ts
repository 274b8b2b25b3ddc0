// The events of chatd's answer stream (API.md, "Chat, streaming") and their decoding
// from the JSON in each SSE `data:` line. Decoding is defensive: an event missing the
// fields this client relies on is dropped rather than trusted.

export interface StartEvent {
  type: "start";
  message: string;
  conversation_id: string;
  user_message_id: string;
  assistant_message_id: string;
  timestamp: number;
}

export interface ContentEvent {
  type: "content";
  data: string;
  chunk_id: number;
  total_chars: number;
}

export interface StreamingStats {
  chunks: number;
  total_chars: number;
  duration_ms: number;
  time_to_first_chunk_ms: number;
  chars_per_second: number;
  fallback: "none" | "non_streaming";
}

export interface CompleteEvent {
  type: "complete";
  final_content: string;
  message_id: string;
  status: "complete" | "stopped";
  stored_in_db: boolean;
  streaming_stats: StreamingStats | null;
}

export interface StreamErrorEvent {
  type: "error";
  error: { code: string; message: string };
  retryable: boolean;
  stored_in_db: boolean;
}

export type StreamEvent = StartEvent | ContentEvent | CompleteEvent | StreamErrorEvent;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringField(object: JsonObject, name: string): string | null {
  const value = object[name];
  return typeof value === "string" ? value : null;
}

function numberField(object: JsonObject, name: string, fallback: number): number {
  const value = object[name];
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function decodeStats(value: unknown): StreamingStats | null {
  if (!isObject(value)) return null;
  return {
    chunks: numberField(value, "chunks", 0),
    total_chars: numberField(value, "total_chars", 0),
    duration_ms: numberField(value, "duration_ms", 0),
    time_to_first_chunk_ms: numberField(value, "time_to_first_chunk_ms", 0),
    chars_per_second: numberField(value, "chars_per_second", 0),
    fallback: value["fallback"] === "non_streaming" ? "non_streaming" : "none",
  };
}

/** Decodes one `data:` payload; null for malformed JSON, unknown types or missing fields. */
export function decodeStreamEvent(data: string): StreamEvent | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isObject(parsed)) return null;
  switch (parsed["type"]) {
    case "start": {
      const conversationId = stringField(parsed, "conversation_id");
      const assistantMessageId = stringField(parsed, "assistant_message_id");
      if (conversationId === null || assistantMessageId === null) return null;
      return {
        type: "start",
        message: stringField(parsed, "message") ?? "",
        conversation_id: conversationId,
        user_message_id: stringField(parsed, "user_message_id") ?? "",
        assistant_message_id: assistantMessageId,
        timestamp: numberField(parsed, "timestamp", 0),
      };
    }
    case "content": {
      const text = stringField(parsed, "data");
      if (text === null) return null;
      return {
        type: "content",
        data: text,
        chunk_id: numberField(parsed, "chunk_id", 0),
        total_chars: numberField(parsed, "total_chars", 0),
      };
    }
    case "complete": {
      const finalContent = stringField(parsed, "final_content");
      if (finalContent === null) return null;
      return {
        type: "complete",
        final_content: finalContent,
        message_id: stringField(parsed, "message_id") ?? "",
        status: parsed["status"] === "stopped" ? "stopped" : "complete",
        stored_in_db: parsed["stored_in_db"] === true,
        streaming_stats: decodeStats(parsed["streaming_stats"]),
      };
    }
    case "error": {
      const error = parsed["error"];
      const code = isObject(error) ? stringField(error, "code") : null;
      const message = isObject(error) ? stringField(error, "message") : null;
      return {
        type: "error",
        error: { code: code ?? "stream_error", message: message ?? "The answer could not be completed." },
        retryable: parsed["retryable"] === true,
        stored_in_db: parsed["stored_in_db"] === true,
      };
    }
    default:
      return null;
  }
}
