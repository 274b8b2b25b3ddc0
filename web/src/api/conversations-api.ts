import { requestJson } from "./http-client";
import type { Conversation, ConversationDetail } from "./types";

export async function listConversations(): Promise<Conversation[]> {
  const body = await requestJson<{ conversations: Conversation[] }>("/api/conversations");
  return body.conversations;
}

export async function fetchConversation(id: string, signal?: AbortSignal): Promise<ConversationDetail> {
  return requestJson<ConversationDetail>(`/api/conversations/${encodeURIComponent(id)}`, signal ? { signal } : {});
}

export async function renameConversation(id: string, title: string): Promise<Conversation> {
  const body = await requestJson<{ conversation: Conversation }>(`/api/conversations/${encodeURIComponent(id)}`, {
    method: "PATCH",
    body: { title },
  });
  return body.conversation;
}

export async function deleteConversation(id: string): Promise<void> {
  await requestJson<void>(`/api/conversations/${encodeURIComponent(id)}`, { method: "DELETE" });
}
