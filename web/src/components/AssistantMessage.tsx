import type { MessageStatus } from "../api/types";
import { useRevealedText } from "../hooks/useRevealedText";
import type { LiveTurn } from "../lib/live-turn";
import { MarkdownContent } from "./MarkdownContent";

interface AssistantMessageProps {
  text: string;
  status: MessageStatus;
  /** Set for the answer being written now; stored answers are shown whole. */
  live: LiveTurn | null;
}

function statusNote(status: MessageStatus, live: LiveTurn | null): string | null {
  if (live !== null && live.phase !== "done") return null;
  switch (status) {
    case "stopped":
      return "Stopped.";
    case "interrupted":
      return "This answer was interrupted before it was finished.";
    case "failed":
      return live?.error ? null : "This answer could not be completed.";
    default:
      return null;
  }
}

/**
 * An answer, like the original StreamingMessage: while its stream is open the text is
 * revealed progressively with a blinking cursor and an "In streaming..." badge, then it
 * settles on the final text.
 */
export function AssistantMessage({ text, status, live }: AssistantMessageProps) {
  const visible = useRevealedText(text, live ? live.reveal : "instant");
  const streamOpen = live !== null && (live.phase === "waiting" || live.phase === "streaming" || live.phase === "resuming");
  const revealing = visible.length < text.length;
  const note = statusNote(status, live);

  return (
    <article className="message message--assistant" data-testid="message-assistant" data-status={status} aria-label="Answer">
      <div className="message__avatar" aria-hidden="true">
        AI
      </div>
      <div className="message__main">
        <header className="message__header">
          <span className="message__author">Assistant</span>
          {streamOpen ? (
            <span className="streaming-badge" data-testid="streaming-badge">
              <span className="streaming-badge__dot" aria-hidden="true" />
              In streaming...
            </span>
          ) : null}
          {live?.phase === "resuming" ? <span className="message__phase">Reconnecting…</span> : null}
          {live?.phase === "whole_answer" ? <span className="message__phase">Getting the full answer…</span> : null}
          {live?.stopRequested && streamOpen ? <span className="message__phase">Stopping…</span> : null}
        </header>
        {/* Announced politely; aria-busy holds the announcement until the text has settled,
            instead of reading out every few characters as they appear. */}
        <div className="message__body" aria-live={live ? "polite" : undefined} aria-busy={live ? streamOpen || revealing : undefined}>
          {visible === "" && streamOpen ? (
            <span className="typing-dots" aria-label="The assistant is writing">
              <span />
              <span />
              <span />
            </span>
          ) : (
            <MarkdownContent markdown={visible} showCursor={streamOpen || revealing} />
          )}
        </div>
        {note ? <p className="message__note">{note}</p> : null}
        {live?.error ? (
          <p className="message__error" role="alert">
            {live.error}
          </p>
        ) : null}
      </div>
    </article>
  );
}
