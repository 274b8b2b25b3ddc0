import type { UseQueryResult } from "@tanstack/react-query";
import type { RefObject } from "react";
import { ApiError } from "../api/api-error";
import type { ConversationDetail } from "../api/types";
import type { ChatTurnControls } from "../hooks/useChatTurn";
import { isUnsentTurn } from "../lib/live-turn";
import { buildDisplayItems, turnBelongsTo } from "../lib/message-view";
import { Composer } from "./Composer";
import { Icon } from "./Icon";
import { MessageList } from "./MessageList";

interface ChatPaneProps {
  conversationId: string | null;
  detail: UseQueryResult<ConversationDetail>;
  chat: ChatTurnControls;
  sidebarId: string;
  menuButtonRef: RefObject<HTMLButtonElement | null>;
  sidebarOpen: boolean;
  onToggleSidebar: () => void;
  onNewChat: () => void;
}

/** The open conversation: its messages, the answer being written, and the composer. */
export function ChatPane({ conversationId, detail, chat, sidebarId, menuButtonRef, sidebarOpen, onToggleSidebar, onNewChat }: ChatPaneProps) {
  const loaded = conversationId !== null && detail.data?.conversation.id === conversationId ? detail.data : null;
  const items = buildDisplayItems(loaded?.messages ?? [], chat.turn, conversationId);
  const turnHere = turnBelongsTo(chat.turn, conversationId);
  const title = conversationId === null ? "New chat" : loaded?.conversation.title.trim() || "Conversation";
  const unsent = turnHere && isUnsentTurn(chat.turn) ? chat.turn : null;

  let body;
  if (conversationId !== null && detail.isError && !turnHere) {
    const notFound = detail.error instanceof ApiError && detail.error.status === 404;
    body = (
      <div className="chat-pane__placeholder" role="alert">
        <p>
          {notFound
            ? "This conversation does not exist, or it was deleted."
            : detail.error instanceof ApiError
              ? detail.error.message
              : "The conversation could not be loaded."}
        </p>
        <button type="button" className="button" onClick={onNewChat}>
          Start a new chat
        </button>
      </div>
    );
  } else if (conversationId !== null && loaded === null && !turnHere) {
    body = (
      <div className="chat-pane__placeholder" role="status">
        Loading the conversation…
      </div>
    );
  } else if (items.length === 0) {
    body = (
      <div className="chat-pane__placeholder chat-pane__welcome">
        <h2>How can I help you today?</h2>
        <p>Ask anything. The answer appears as it is written.</p>
      </div>
    );
  } else {
    body = <MessageList items={items} />;
  }

  return (
    <main className="chat-pane" aria-labelledby="chat-pane-title">
      <header className="chat-pane__header">
        <button
          ref={menuButtonRef}
          type="button"
          className="icon-button chat-pane__menu"
          aria-controls={sidebarId}
          aria-expanded={sidebarOpen}
          aria-label={sidebarOpen ? "Hide conversations" : "Show conversations"}
          onClick={onToggleSidebar}
        >
          <Icon name="menu" />
        </button>
        <h1 id="chat-pane-title" className="chat-pane__title" title={title}>
          {title}
        </h1>
      </header>
      {body}
      {chat.active && !turnHere ? (
        <p className="chat-pane__notice" role="status">
          An answer is still being written in another conversation.
        </p>
      ) : null}
      <Composer
        busy={chat.active}
        canStop={chat.active && turnHere}
        stopping={chat.turn?.stopRequested ?? false}
        onSend={(text) => chat.send(text, conversationId)}
        onStop={chat.stop}
        returned={unsent ? { key: unsent.localId, text: unsent.userText, reason: unsent.error ?? "" } : null}
      />
    </main>
  );
}
