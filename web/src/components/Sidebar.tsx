import { useEffect, useRef } from "react";
import { ApiError } from "../api/api-error";
import type { User } from "../api/types";
import { useConversationList } from "../hooks/useConversations";
import { ConversationListItem } from "./ConversationListItem";
import { Icon } from "./Icon";

interface SidebarProps {
  id: string;
  user: User;
  open: boolean;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  onDeleted: (id: string) => void;
  onSignOut: () => void;
  signingOut: boolean;
  onClose: () => void;
}

/** The person's conversations, newest first, with new chat and sign-out. */
export function Sidebar({ id, user, open, selectedId, onSelect, onDeleted, onSignOut, signingOut, onClose }: SidebarProps) {
  const conversations = useConversationList();
  const closeButtonRef = useRef<HTMLButtonElement>(null);

  // On a phone the open sidebar covers the chat: move the focus into it.
  useEffect(() => {
    if (open) closeButtonRef.current?.focus();
  }, [open]);

  // On a phone the sidebar covers the chat; Escape closes it like a dialog.
  useEffect(() => {
    if (!open) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [open, onClose]);

  return (
    <nav id={id} className={`sidebar${open ? " sidebar--open" : ""}`} aria-label="Conversations">
      <div className="sidebar__top">
        <span className="sidebar__brand">chatd</span>
        <button ref={closeButtonRef} type="button" className="icon-button sidebar__close" onClick={onClose} aria-label="Close the conversation list">
          <Icon name="close" />
        </button>
      </div>
      <button type="button" className="button button--primary sidebar__new-chat" data-testid="new-chat" onClick={() => onSelect(null)}>
        <Icon name="plus" /> New chat
      </button>

      <h2 className="sidebar__heading">Your conversations</h2>
      <div className="sidebar__list-area">
        {conversations.isError ? (
          <p className="sidebar__notice" role="alert" data-testid="sidebar-notice">
            {conversations.error instanceof ApiError ? conversations.error.message : "The conversations could not be loaded."}
          </p>
        ) : null}
        {conversations.isPending ? <p className="sidebar__notice">Loading…</p> : null}
        <ul className="conversation-list" data-testid="conversation-list">
          {(conversations.data ?? []).map((conversation) => (
            <ConversationListItem
              key={conversation.id}
              conversation={conversation}
              selected={conversation.id === selectedId}
              onSelect={() => onSelect(conversation.id)}
              onDeleted={onDeleted}
            />
          ))}
        </ul>
        {conversations.isSuccess && conversations.data.length === 0 ? (
          <p className="sidebar__notice">No conversations yet. Ask something to start one.</p>
        ) : null}
      </div>

      <div className="sidebar__footer">
        <span className="sidebar__user" title={user.username}>
          Signed in as <strong>{user.username}</strong>
        </span>
        <button type="button" className="button button--quiet" data-testid="sign-out" onClick={onSignOut} disabled={signingOut}>
          Sign out
        </button>
      </div>
    </nav>
  );
}
