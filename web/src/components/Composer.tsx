import { useEffect, useId, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { takeDraft } from "../lib/draft";
import { Icon } from "./Icon";

interface ComposerProps {
  /** A turn is running: the next message can be written, not sent, until it ends. */
  busy: boolean;
  /** The running turn belongs to this conversation and can be stopped from here. */
  canStop: boolean;
  stopping: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
  /** A message the server did not take, handed back with why (a new key each time). */
  returned?: { key: string; text: string; reason: string } | null;
}

const MAX_HEIGHT_PX = 220;

/** Enter while an answer is written: the message waits in the composer, and the person knows. */
const WAIT_NOTICE = "Not sent yet: an answer is still being written. Send this once it is done.";

/** Where the person writes. Enter sends, Shift+Enter starts a new line. */
export function Composer({ busy, canStop, stopping, onSend, onStop, returned = null }: ComposerProps) {
  const [text, setText] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const wasBusyRef = useRef(busy);
  const textareaId = useId();
  const hintId = useId();

  // Grow with the text up to a limit, then scroll.
  useLayoutEffect(() => {
    const textarea = textareaRef.current;
    if (!textarea) return;
    textarea.style.height = "auto";
    textarea.style.height = `${Math.min(textarea.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text]);

  // When the answer is done, the writing goes on here (unless the person has moved elsewhere
  // on purpose: a Stop click leaves the focus on a button that is then gone).
  useEffect(() => {
    const focused = document.activeElement;
    if (wasBusyRef.current && !busy && (focused === null || focused === document.body)) textareaRef.current?.focus();
    // The wait it asked for is over.
    if (!busy) setNotice((current) => (current === WAIT_NOTICE ? null : current));
    wasBusyRef.current = busy;
  }, [busy]);

  // What was typed is never lost: a message that could not be sent comes back here, with why,
  // unless something new has been typed meanwhile.
  const giveBack = (message: string, reason: string) => {
    setText((current) => (current.trim() === "" ? message : current));
    setNotice(`Not sent: ${reason}`);
  };

  // One that met an ended session, after signing in again.
  useEffect(() => {
    const draft = takeDraft();
    if (draft !== null) giveBack(draft, "your session had ended. It is here to send again.");
  }, []);

  // One the running turn could not deliver: once per returned message (its key), not on every
  // render that passes the same one.
  const returnedKey = returned?.key;
  useEffect(() => {
    if (returned) giveBack(returned.text, returned.reason);
  }, [returnedKey]);

  const send = () => {
    const message = text.trim();
    if (message === "") return;
    if (busy) {
      setNotice(WAIT_NOTICE);
      return;
    }
    onSend(message);
    setText("");
    setNotice(null);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // isComposing: Enter that confirms an IME candidate (Japanese, Chinese…) must not send.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  return (
    <form className="composer" onSubmit={onSubmit}>
      {notice !== null ? (
        <p className="composer__notice" role="alert" data-testid="composer-notice">
          {notice}
        </p>
      ) : null}
      <label className="visually-hidden" htmlFor={textareaId}>
        Message
      </label>
      <textarea
        id={textareaId}
        ref={textareaRef}
        className="composer__input"
        data-testid="composer"
        rows={1}
        placeholder={busy ? "Write the next message; send it once the answer is done" : "Message chatd…"}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        autoFocus
        aria-describedby={hintId}
      />
      <span id={hintId} className="visually-hidden">
        Enter sends, Shift+Enter starts a new line.
      </span>
      {canStop ? (
        <button type="button" className="button button--danger composer__button" data-testid="stop" onClick={onStop} disabled={stopping}>
          <Icon name="stop" /> {stopping ? "Stopping…" : "Stop"}
        </button>
      ) : null}
      <button type="submit" className="button button--primary composer__button" data-testid="send" disabled={busy || text.trim() === ""}>
        <Icon name="send" /> Send
      </button>
    </form>
  );
}
