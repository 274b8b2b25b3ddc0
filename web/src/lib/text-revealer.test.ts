import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { advanceReveal, DEFAULT_REVEAL_OPTIONS, visibleLength } from "./reveal-timing";
import { TextRevealer, type RevealClock, type RevealMode } from "./text-revealer";

// The system clock reads performance.now(); under fake timers Date.now() is the one that
// moves with vi.advanceTimersByTime, so the tests hand the revealer that clock.
const fakeClock: RevealClock = {
  now: () => Date.now(),
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

function makeRevealer(text = "", mode: RevealMode = "stream") {
  const seen: string[] = [];
  const revealer = new TextRevealer((visible) => seen.push(visible), { text, mode }, {}, fakeClock);
  return { revealer, seen };
}

const letters = (count: number) => "abcdefghij".repeat(Math.ceil(count / 10)).slice(0, count);

describe("TextRevealer", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reveals about 50 characters a second while the backlog is small", () => {
    // 80 characters: at 50/s that is 1.6 s of text, within the 2 s allowed lag.
    const { revealer } = makeRevealer(letters(80));
    vi.advanceTimersByTime(1000);
    expect(revealer.visibleText.length).toBeGreaterThanOrEqual(48);
    expect(revealer.visibleText.length).toBeLessThanOrEqual(52);
    vi.advanceTimersByTime(200);
    expect(revealer.visibleText.length).toBeGreaterThanOrEqual(58);
    expect(revealer.visibleText.length).toBeLessThanOrEqual(62);
    vi.advanceTimersByTime(1000);
    expect(revealer.visibleText).toBe(letters(80));
    revealer.dispose();
  });

  it("shows one character about every 20 ms at the base pace", () => {
    const { revealer, seen } = makeRevealer(letters(20));
    vi.advanceTimersByTime(100);
    // 100 ms at 50/s: five characters, revealed one or two at a time, never in a lump.
    expect(revealer.visibleText.length).toBeGreaterThanOrEqual(4);
    expect(revealer.visibleText.length).toBeLessThanOrEqual(6);
    const steps = seen.map((text, index) => text.length - (seen[index - 1]?.length ?? 0));
    expect(Math.max(...steps)).toBeLessThanOrEqual(2);
    revealer.dispose();
  });

  it("catches up a big burst evenly within about two seconds", () => {
    const { revealer } = makeRevealer(letters(1000));
    vi.advanceTimersByTime(1000);
    // Rate jumps to 1000 chars / 2 s = 500/s: half of it after one second, not all at once.
    expect(revealer.visibleText.length).toBeGreaterThan(450);
    expect(revealer.visibleText.length).toBeLessThan(550);
    vi.advanceTimersByTime(1020);
    expect(revealer.visibleText.length).toBe(1000);
    revealer.dispose();
  });

  it("never lets a character lag more than about two seconds behind its arrival", () => {
    // A fast model: 20 characters every 50 ms (400/s), for 6 seconds.
    const { revealer } = makeRevealer("");
    const arrivedAt: number[] = [];
    let text = "";
    let worstLagMs = 0;
    for (let elapsed = 0; elapsed < 6000; elapsed += 50) {
      text += letters(20);
      for (let index = 0; index < 20; index++) arrivedAt.push(elapsed);
      revealer.update(text, "stream");
      vi.advanceTimersByTime(50);
      const shown = revealer.visibleText.length;
      const oldestHidden = arrivedAt[shown];
      if (oldestHidden !== undefined) worstLagMs = Math.max(worstLagMs, elapsed + 50 - oldestHidden);
    }
    expect(worstLagMs).toBeLessThanOrEqual(2100);
    revealer.dispose();
  });

  it("settles quickly when the stream ends and ends on final_content exactly", () => {
    const { revealer } = makeRevealer(letters(300));
    vi.advanceTimersByTime(500);
    expect(revealer.visibleText.length).toBeLessThan(300);
    const finalContent = letters(300) + " and the end.";
    revealer.update(finalContent, "settle");
    vi.advanceTimersByTime(620);
    expect(revealer.visibleText).toBe(finalContent);
    expect(revealer.caughtUp).toBe(true);
    revealer.dispose();
  });

  it("replaces what was shown when final_content differs from the streamed text", () => {
    const { revealer } = makeRevealer("Hello wrold, how");
    vi.advanceTimersByTime(2000);
    expect(revealer.visibleText).toBe("Hello wrold, how");
    revealer.update("Hello world, how are you?", "settle");
    // The common prefix "Hello w" stays; the rest is revealed again from there.
    expect(revealer.visibleText).toBe("Hello w");
    vi.advanceTimersByTime(700);
    expect(revealer.visibleText).toBe("Hello world, how are you?");
    revealer.dispose();
  });

  it("shows everything at once in instant mode (whole answers from the fallback)", () => {
    const { revealer } = makeRevealer("partial", "stream");
    revealer.update("The whole answer, at once.", "instant");
    expect(revealer.visibleText).toBe("The whole answer, at once.");
    revealer.dispose();
  });

  it("does not animate text that is already final when it appears", () => {
    const { revealer, seen } = makeRevealer("Stored answer", "settle");
    expect(revealer.visibleText).toBe("Stored answer");
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual([]);
    revealer.dispose();
  });

  it("stops its timer once caught up", () => {
    const { revealer } = makeRevealer("short");
    vi.advanceTimersByTime(1000);
    expect(vi.getTimerCount()).toBe(0);
    revealer.update("short and more", "stream");
    expect(vi.getTimerCount()).toBe(1);
    revealer.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("reveal timing rules", () => {
  it("keeps the faster pace until the backlog is gone, then returns to the base pace", () => {
    let state = { shown: 0, charsPerSecond: 50 };
    state = advanceReveal(state, 400, 100, false, DEFAULT_REVEAL_OPTIONS);
    expect(state.charsPerSecond).toBe(200);
    state = advanceReveal(state, 400, 100, false, DEFAULT_REVEAL_OPTIONS);
    expect(state.charsPerSecond).toBe(200);
    state = advanceReveal(state, 400, 5000, false, DEFAULT_REVEAL_OPTIONS);
    expect(state).toEqual({ shown: 400, charsPerSecond: 50 });
  });

  it("never cuts a surrogate pair in two", () => {
    const text = "a😀b";
    expect(visibleLength(text, 1)).toBe(1);
    expect(visibleLength(text, 2)).toBe(3);
    expect(visibleLength(text, 3.5)).toBe(3);
    expect(visibleLength(text, 99)).toBe(4);
  });
});
