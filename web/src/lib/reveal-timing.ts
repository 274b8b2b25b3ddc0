// Pure timing rules of the progressive reveal (the original StreamingMessage showed
// about 50 characters a second). Kept free of timers and React so tests can check the
// arithmetic exactly.
//
// Rule: text is shown at `baseCharsPerSecond`, but whenever the hidden backlog would take
// longer than `maxLagMs` at the current rate, the rate jumps to backlog / maxLag, and it
// does not drop again until the backlog is gone. So a character is never shown more than
// maxLag after it arrived, and a burst is caught up at an even pace rather than by a jump.
// After the stream has ended the same rule applies with the shorter `settleMs`.

export interface RevealOptions {
  baseCharsPerSecond: number;
  maxLagMs: number;
  settleMs: number;
}

export const DEFAULT_REVEAL_OPTIONS: RevealOptions = {
  baseCharsPerSecond: 50,
  maxLagMs: 2000,
  settleMs: 600,
};

export interface RevealState {
  /** UTF-16 code units shown so far; fractional between frames. */
  shown: number;
  /** Current pace in code units per second. */
  charsPerSecond: number;
}

export function initialRevealState(options: RevealOptions, shown = 0): RevealState {
  return { shown, charsPerSecond: options.baseCharsPerSecond };
}

/**
 * Advances the reveal by `elapsedMs` towards a text of `targetLength` code units.
 * `settling` is true once the stream has ended and the text is final.
 */
export function advanceReveal(
  state: RevealState,
  targetLength: number,
  elapsedMs: number,
  settling: boolean,
  options: RevealOptions,
): RevealState {
  if (state.shown >= targetLength) {
    return { shown: targetLength, charsPerSecond: options.baseCharsPerSecond };
  }
  const backlog = targetLength - state.shown;
  const horizonSeconds = (settling ? options.settleMs : options.maxLagMs) / 1000;
  const neededRate = horizonSeconds > 0 ? backlog / horizonSeconds : Number.POSITIVE_INFINITY;
  const charsPerSecond = Math.max(state.charsPerSecond, neededRate, options.baseCharsPerSecond);
  const shown = Math.min(targetLength, state.shown + (charsPerSecond * Math.max(0, elapsedMs)) / 1000);
  return {
    shown,
    charsPerSecond: shown >= targetLength ? options.baseCharsPerSecond : charsPerSecond,
  };
}

/**
 * How many code units of `text` to display for a fractional `shown`: whole units only,
 * and never half of a surrogate pair (an emoji cut in two would flash as "\uFFFD").
 */
export function visibleLength(text: string, shown: number): number {
  let length = Math.min(text.length, Math.max(0, Math.floor(shown)));
  if (length > 0 && length < text.length) {
    const last = text.charCodeAt(length - 1);
    if (last >= 0xd800 && last <= 0xdbff) length += 1;
  }
  return length;
}

/** Length of the longest common prefix, for a final text that rewrites what was shown. */
export function commonPrefixLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let index = 0;
  while (index < limit && a.charCodeAt(index) === b.charCodeAt(index)) index++;
  return index;
}
