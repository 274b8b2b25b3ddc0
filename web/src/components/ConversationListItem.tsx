import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { ApiError } from "../api/api-error";
import type { Conversation } from "../api/types";
import { useDeleteConversation, useRenameConversation } from "../hooks/useConversations";
import { Icon } from "./Icon";

interface ConversationListItemProps {
  conversation: Conversation;
  selected: boolean;
  onSelect: () => void;
  onDeleted: (id: string) => void;
}

function displayTitle(conversation: Conversation): string {
  return conversation.title.trim() || "New chat";
}

/** One conversation in the sidebar: open it, rename it in place, delete it (with a confirm step). */
export function ConversationListItem({ conversation, selected, onSelect, onDeleted }: ConversationListItemProps) {
  const [mode, setMode] = useState<"view" | "rename" | "confirm-delete">("view");
  const [draftTitle, setDraftTitle] = useState(conversation.title);
  const rename = useRenameConversation();
  const remove = useDeleteConversation(onDeleted);
  const inputRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const renameButtonRef = useRef<HTMLButtonElement>(null);
  const deleteButtonRef = useRef<HTMLButtonElement>(null);
  // A rename or a delete confirmation ended by a key or Cancel gives the focus back to the button
  // that opened it (a blur went elsewhere already).
  const refocusRef = useRef<"rename" | "delete" | null>(null);
  const inputId = useId();
  // Enter, Escape and blur can all end one rename; only the first of them counts.
  const renamingRef = useRef(false);
  const title = displayTitle(conversation);

  useEffect(() => {
    if (mode === "rename") inputRef.current?.select();
    if (mode === "confirm-delete") confirmRef.current?.focus();
    if (mode === "view" && refocusRef.current !== null)
      (refocusRef.current === "rename" ? renameButtonRef : deleteButtonRef).current?.focus();
    refocusRef.current = null;
  }, [mode]);

  const startRename = () => {
    setDraftTitle(conversation.title);
    rename.reset();
    renamingRef.current = true;
    setMode("rename");
  };

  const saveRename = (event?: FormEvent) => {
    event?.preventDefault();
    if (!renamingRef.current) return;
    refocusRef.current = event !== undefined ? "rename" : null;
    renamingRef.current = false;
    const next = draftTitle.trim();
    setMode("view");
    if (next !== "" && next !== conversation.title) rename.mutate({ id: conversation.id, title: next });
  };

  const onRenameKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      renamingRef.current = false;
      refocusRef.current = "rename";
      setMode("view");
    }
  };

  const cancelDelete = () => {
    refocusRef.current = "delete";
    setMode("view");
  };

  const confirmDelete = () => {
    remove.mutate(conversation.id);
    setMode("view");
  };

  const error = rename.error ?? remove.error;

  return (
    <li className={`conversation-item${selected ? " conversation-item--selected" : ""}`} data-testid="conversation-item">
      {mode === "rename" ? (
        <form className="conversation-item__rename" onSubmit={saveRename}>
          <label className="visually-hidden" htmlFor={inputId}>
            New title for “{title}”
          </label>
          <input
            id={inputId}
            ref={inputRef}
            className="field__input field__input--compact"
            data-testid="rename-input"
            value={draftTitle}
            maxLength={200}
            onChange={(event) => setDraftTitle(event.target.value)}
            onKeyDown={onRenameKeyDown}
            onBlur={() => saveRename()}
          />
        </form>
      ) : (
        <button
          type="button"
          className="conversation-item__open"
          aria-current={selected ? "page" : undefined}
          onClick={onSelect}
          title={title}
        >
          {title}
        </button>
      )}

      {mode === "confirm-delete" ? (
        <div
          className="conversation-item__actions conversation-item__actions--visible"
          role="group"
          aria-label={`Delete “${title}”?`}
          onKeyDown={(event) => {
            // Escape cancels, as it does a rename (and does not also close the sidebar).
            if (event.key !== "Escape") return;
            event.preventDefault();
            event.stopPropagation();
            cancelDelete();
          }}
        >
          <button ref={confirmRef} type="button" className="button button--danger button--small" data-testid="confirm-delete" onClick={confirmDelete}>
            Delete
          </button>
          <button type="button" className="button button--small" onClick={cancelDelete}>
            Cancel
          </button>
        </div>
      ) : mode === "view" ? (
        <div className="conversation-item__actions">
          <button
            ref={renameButtonRef}
            type="button"
            className="icon-button"
            data-testid="rename-conversation"
            aria-label={`Rename “${title}”`}
            onClick={startRename}
          >
            <Icon name="pencil" />
          </button>
          <button
            ref={deleteButtonRef}
            type="button"
            className="icon-button"
            data-testid="delete-conversation"
            aria-label={`Delete “${title}”`}
            onClick={() => setMode("confirm-delete")}
            disabled={remove.isPending}
          >
            <Icon name="trash" />
          </button>
        </div>
      ) : null}

      {error ? (
        <p className="conversation-item__error" role="alert">
          {error instanceof ApiError ? error.message : "That did not work. Please try again."}
        </p>
      ) : null}
    </li>
  );
}
