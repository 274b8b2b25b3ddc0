/** The person's own message, shown as typed (never as markdown or HTML). */
export function UserMessage({ text, pending }: { text: string; pending: boolean }) {
  return (
    <article className={`message message--user${pending ? " message--pending" : ""}`} data-testid="message-user" aria-label="Your message">
      <div className="message__bubble">{text}</div>
      {pending ? <span className="visually-hidden">Sending…</span> : null}
    </article>
  );
}
