// Shapes of the chatd HTTP API (see API.md). Field names stay snake_case as on the wire
// so that nothing needs translating and a reader can match them against the contract.

export interface User {
  id: string;
  username: string;
}

export interface Conversation {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
}

export type MessageRole = "user" | "assistant";

export type MessageStatus = "complete" | "streaming" | "stopped" | "failed" | "interrupted";

export interface Message {
  id: string;
  role: MessageRole;
  content: string;
  status: MessageStatus;
  created_at?: string;
}

export interface ConversationDetail {
  conversation: Conversation;
  messages: Message[];
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}

/** Answer of the non-streaming `POST /api/chat` (the second fallback). */
export interface WholeAnswerResponse {
  conversation_id: string;
  user_message_id: string;
  message: Message;
}

export interface ChatRequestBody {
  message: string;
  conversation_id?: string;
}
