// Drives the reveal over time: holds the text received so far, ticks a timer while
// there is hidden text, and reports the visible part. The React hook is a thin wrapper,
// so this class can be tested with fake timers.

import {
  advanceReveal,
  commonPrefixLength,
  DEFAULT_REVEAL_OPTIONS,
  initialRevealState,
  visibleLength,
  type RevealOptions,
  type RevealState,
} from "./reveal-timing";

/**
 * - `stream`: the stream is open and the text grows.
 * - `settle`: the stream has ended; the text is final and the rest is shown quickly.
 * - `instant`: show everything now (stored messages, whole answers from a fallback).
 */
export type RevealMode = "stream" | "settle" | "instant";

export interface RevealClock {
  now(): number;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const systemClock: RevealClock = {
  now: () => (globalThis.performance ? globalThis.performance.now() : Date.now()),
  setInterval: (callback, ms) => globalThis.setInterval(callback, ms),
  clearInterval: (handle) => globalThis.clearInterval(handle as ReturnType<typeof setInterval>),
};

/** About one frame; elapsed time is measured, so a throttled background tab catches up. */
const TICK_MS = 16;

export class TextRevealer {
  private readonly options: RevealOptions;
  private readonly clock: RevealClock;
  private readonly onChange: (visible: string) => void;
  private target = "";
  private mode: RevealMode = "stream";
  private state: RevealState;
  private visible = "";
  private timer: unknown = null;
  private lastTick = 0;

  constructor(
    onChange: (visible: string) => void,
    initial: { text: string; mode: RevealMode },
    options: Partial<RevealOptions> = {},
    clock: RevealClock = systemClock,
  ) {
    this.onChange = onChange;
    this.options = { ...DEFAULT_REVEAL_OPTIONS, ...options };
    this.clock = clock;
    this.target = initial.text;
    this.mode = initial.mode;
    // Text that is already final when the component appears is not animated again
    // (e.g. coming back to a conversation whose answer just finished).
    const startShown = initial.mode === "stream" ? 0 : initial.text.length;
    this.state = initialRevealState(this.options, startShown);
    this.visible = initial.text.slice(0, startShown);
    this.ensureTicking();
  }

  get visibleText(): string {
    return this.visible;
  }

  /** True when everything received is on screen. */
  get caughtUp(): boolean {
    return this.visible.length >= this.target.length;
  }

  update(text: string, mode: RevealMode): void {
    if (text !== this.target && !text.startsWith(this.visible)) {
      // The final text rewrote what was shown (a fallback answer): keep the part that
      // still matches and reveal the rest from there.
      this.state = { ...this.state, shown: commonPrefixLength(this.visible, text) };
    }
    this.target = text;
    this.mode = mode;
    if (mode === "instant") {
      this.stopTicking();
      this.state = initialRevealState(this.options, text.length);
      this.publish();
      return;
    }
    this.publish();
    this.ensureTicking();
  }

  dispose(): void {
    this.stopTicking();
  }

  private tick(): void {
    const now = this.clock.now();
    const elapsed = now - this.lastTick;
    this.lastTick = now;
    this.state = advanceReveal(this.state, this.target.length, elapsed, this.mode === "settle", this.options);
    this.publish();
    if (this.state.shown >= this.target.length) this.stopTicking();
  }

  private publish(): void {
    const next = this.target.slice(0, visibleLength(this.target, this.state.shown));
    if (next !== this.visible) {
      this.visible = next;
      this.onChange(next);
    }
  }

  private ensureTicking(): void {
    if (this.timer !== null || this.state.shown >= this.target.length) return;
    this.lastTick = this.clock.now();
    this.timer = this.clock.setInterval(() => this.tick(), TICK_MS);
  }

  private stopTicking(): void {
    if (this.timer === null) return;
    this.clock.clearInterval(this.timer);
    this.timer = null;
  }
}
