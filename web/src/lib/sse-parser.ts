// An incremental parser for `text/event-stream` bodies, following the WHATWG
// "event stream interpretation" rules closely enough for any conforming server:
// lines end with LF, CRLF or a lone CR; `data:` lines of one event are joined with "\n";
// `id:` sets the last event id (kept across events, as the spec says); lines starting with
// ":" are comments (chatd's keep-alives); a blank line dispatches the event.
//
// The caller may cut the byte stream anywhere, even inside a UTF-8 sequence or between
// the CR and LF of one line ending: the parser keeps what it has not finished.

export interface SseEventMessage {
  kind: "event";
  /** The stream's last event id when this event was dispatched ("" if none yet). */
  lastEventId: string;
  /** The id given by an `id:` line inside this event's own block, null if it had none. */
  ownId: string | null;
  /** The `event:` field, "message" when the server sent none (chatd never does). */
  event: string;
  data: string;
}

export interface SseComment {
  kind: "comment";
  text: string;
}

export type SseItem = SseEventMessage | SseComment;

const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;

export class SseParser {
  private readonly decoder = new TextDecoder("utf-8");
  private unfinishedLine = "";
  /** The previous text ended with CR, so an LF at the start of the next one belongs to it. */
  private pendingLineFeedAfterCarriageReturn = false;
  private dataLines: string[] = [];
  private eventType = "";
  private lastEventId = "";
  private idInThisEvent: string | null = null;

  constructor(initialLastEventId = "") {
    this.lastEventId = initialLastEventId;
  }

  /** The last event id seen so far, for a `Last-Event-ID` header when reconnecting. */
  get currentLastEventId(): string {
    return this.lastEventId;
  }

  /** Feeds raw bytes; a streaming TextDecoder keeps multi-byte characters cut in two. */
  pushBytes(bytes: Uint8Array): SseItem[] {
    return this.pushText(this.decoder.decode(bytes, { stream: true }));
  }

  /** Feeds already decoded text. */
  pushText(text: string): SseItem[] {
    const items: SseItem[] = [];
    let lineStart = 0;
    let index = 0;
    if (this.pendingLineFeedAfterCarriageReturn && text.length > 0) {
      this.pendingLineFeedAfterCarriageReturn = false;
      if (text.charCodeAt(0) === LINE_FEED) {
        lineStart = 1;
        index = 1;
      }
    }
    for (; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code !== LINE_FEED && code !== CARRIAGE_RETURN) continue;
      const line = this.unfinishedLine + text.slice(lineStart, index);
      this.unfinishedLine = "";
      this.processLine(line, items);
      if (code === CARRIAGE_RETURN) {
        if (index + 1 < text.length) {
          if (text.charCodeAt(index + 1) === LINE_FEED) index++;
        } else {
          this.pendingLineFeedAfterCarriageReturn = true;
        }
      }
      lineStart = index + 1;
    }
    if (lineStart < text.length) this.unfinishedLine += text.slice(lineStart);
    return items;
  }

  /**
   * The body ended. Flushes the decoder; an event without its closing blank line is
   * dropped, as the spec requires (a cut-off event may be incomplete).
   */
  end(): SseItem[] {
    const items = this.pushText(this.decoder.decode());
    this.unfinishedLine = "";
    this.dataLines = [];
    this.eventType = "";
    this.idInThisEvent = null;
    return items;
  }

  private processLine(line: string, items: SseItem[]): void {
    if (line.length === 0) {
      this.dispatch(items);
      return;
    }
    if (line.charCodeAt(0) === 0x3a /* ":" */) {
      items.push({ kind: "comment", text: line.slice(1).trimStart() });
      return;
    }
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "data":
        this.dataLines.push(value);
        break;
      case "event":
        this.eventType = value;
        break;
      case "id":
        if (!value.includes("\u0000")) {
          this.lastEventId = value;
          this.idInThisEvent = value;
        }
        break;
      default:
        // `retry:` and unknown fields: nothing for this client to do.
        break;
    }
  }

  private dispatch(items: SseItem[]): void {
    if (this.dataLines.length > 0) {
      items.push({
        kind: "event",
        lastEventId: this.lastEventId,
        ownId: this.idInThisEvent,
        event: this.eventType || "message",
        data: this.dataLines.join("\n"),
      });
    }
    this.dataLines = [];
    this.eventType = "";
    this.idInThisEvent = null;
  }
}
