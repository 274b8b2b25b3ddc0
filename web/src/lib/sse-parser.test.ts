import { describe, expect, it } from "vitest";
import { SseParser, type SseItem } from "./sse-parser";

// A stream as chatd sends it, with multi-byte UTF-8 text (2-, 3- and 4-byte characters),
// keep-alive comments and a two-line data field, so that splits land inside everything.
const RECORDED_LINES = [
  "id: 1",
  'data: {"type":"start","message":"Réponse en cours","conversation_id":"c1","user_message_id":"u1","assistant_message_id":"a1","timestamp":1700000000000}',
  "",
  ": keep-alive",
  "",
  "id: 2",
  'data: {"type":"content","data":"Héllo 日本語 ","chunk_id":1,"total_chars":10}',
  "",
  "id: 3",
  'data: {"type":"content","data":"👋🏽 wörld","chunk_id":2,"total_chars":18}',
  "",
  ":another comment with a colon: inside",
  "id: 4",
  "data: first line",
  "data: second line",
  "",
  "id: 5",
  'data: {"type":"complete","final_content":"Héllo 日本語 👋🏽 wörld","message_id":"a1","status":"complete","stored_in_db":true}',
  "",
];

function recordedStream(lineEnding: string): string {
  return RECORDED_LINES.join(lineEnding) + lineEnding;
}

const encoder = new TextEncoder();

function parseInChunks(bytes: Uint8Array, cuts: number[]): SseItem[] {
  const parser = new SseParser();
  const items: SseItem[] = [];
  let previous = 0;
  for (const cut of [...cuts, bytes.length]) {
    items.push(...parser.pushBytes(bytes.subarray(previous, cut)));
    previous = cut;
  }
  items.push(...parser.end());
  return items;
}

function eventsOnly(items: SseItem[]) {
  return items.filter((item) => item.kind === "event");
}

describe("SseParser", () => {
  const reference = parseInChunks(encoder.encode(recordedStream("\n")), []);

  it("parses the recorded stream into its events, ids and comments", () => {
    const events = eventsOnly(reference);
    expect(events).toHaveLength(5);
    expect(events.map((event) => event.kind === "event" && event.lastEventId)).toEqual(["1", "2", "3", "4", "5"]);
    const content = events[2];
    expect(content?.kind === "event" && JSON.parse(content.data).data).toBe("👋🏽 wörld");
    const multiLine = events[3];
    expect(multiLine?.kind === "event" && multiLine.data).toBe("first line\nsecond line");
    expect(reference.filter((item) => item.kind === "comment")).toHaveLength(2);
  });

  for (const [name, ending] of [
    ["LF", "\n"],
    ["CRLF", "\r\n"],
    ["CR", "\r"],
  ] as const) {
    it(`gives identical events for every single split position (${name})`, () => {
      const bytes = encoder.encode(recordedStream(ending));
      for (let cut = 0; cut <= bytes.length; cut++) {
        expect(parseInChunks(bytes, [cut]), `split at byte ${cut}`).toEqual(reference);
      }
    });
  }

  it("gives identical events when every byte arrives on its own (CRLF)", () => {
    const bytes = encoder.encode(recordedStream("\r\n"));
    const everyByte = Array.from({ length: bytes.length - 1 }, (_, index) => index + 1);
    expect(parseInChunks(bytes, everyByte)).toEqual(reference);
  });

  it("gives identical events for every pair of split positions (LF)", () => {
    const bytes = encoder.encode(recordedStream("\n"));
    // Every pair would be ~150k parses; a stride of 7 for the first cut still puts it on
    // every kind of boundary while the second cut walks all positions after it.
    for (let first = 0; first <= bytes.length; first += 7) {
      for (let second = first; second <= bytes.length; second++) {
        const items = parseInChunks(bytes, [first, second]);
        if (JSON.stringify(items) !== JSON.stringify(reference)) {
          throw new Error(`split at ${first} and ${second} gave different events`);
        }
      }
    }
  });

  it("treats a mix of line endings in one stream alike", () => {
    const mixed = "id: 1\r\ndata: a\r\n\nid: 2\rdata: b\r\r: c\ndata: d\n\n";
    const parser = new SseParser();
    const events = eventsOnly([...parser.pushText(mixed), ...parser.end()]);
    expect(events.map((event) => event.kind === "event" && [event.lastEventId, event.data])).toEqual([
      ["1", "a"],
      ["2", "b"],
      ["2", "d"],
    ]);
  });

  it("ignores comment lines and never dispatches them as events", () => {
    const parser = new SseParser();
    const items = [...parser.pushText(": keep-alive\n\n:\n\n: ping\ndata: x\n\n"), ...parser.end()];
    expect(eventsOnly(items)).toHaveLength(1);
    expect(items.filter((item) => item.kind === "comment").map((item) => item.kind === "comment" && item.text)).toEqual([
      "keep-alive",
      "",
      "ping",
    ]);
  });

  it("keeps the last event id across events and reports the id of each event's own block", () => {
    const parser = new SseParser();
    const events = eventsOnly(parser.pushText("id: 7\ndata: a\n\ndata: b\n\n"));
    expect(events.map((event) => event.kind === "event" && [event.lastEventId, event.ownId])).toEqual([
      ["7", "7"],
      ["7", null],
    ]);
    expect(parser.currentLastEventId).toBe("7");
  });

  it("accepts fields without a space after the colon and drops an event cut off at the end", () => {
    const parser = new SseParser();
    const items = [...parser.pushText("id:3\ndata:{\"a\":1}\n\ndata: unfinished"), ...parser.end()];
    const events = eventsOnly(items);
    expect(events).toHaveLength(1);
    expect(events[0]?.kind === "event" && events[0].data).toBe('{"a":1}');
  });

  it("starts from a given last event id when resuming", () => {
    const parser = new SseParser("12");
    expect(parser.currentLastEventId).toBe("12");
  });
});
