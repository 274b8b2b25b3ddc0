import { requestJson, type FetchFunction } from "./http-client";
import type { ChatRequestBody, Message, WholeAnswerResponse } from "./types";

/** `POST /api/chat`: the whole answer at once, the second fallback when streaming fails. */
export async function requestWholeAnswer(
  body: ChatRequestBody,
  idempotencyKey: string,
  options: { signal?: AbortSignal; fetchImpl?: FetchFunction } = {},
): Promise<WholeAnswerResponse> {
  return requestJson<WholeAnswerResponse>("/api/chat", {
    method: "POST",
    body,
    headers: { "Idempotency-Key": idempotencyKey },
    ...options,
  });
}

/** `POST /api/chat/stop`: the open stream then ends with `complete` and status `stopped`. */
export async function stopAnswer(messageId: string, fetchImpl?: FetchFunction): Promise<Message> {
  const body = await requestJson<{ message: Message }>("/api/chat/stop", {
    method: "POST",
    body: { message_id: messageId },
    ...(fetchImpl ? { fetchImpl } : {}),
  });
  return body.message;
}
