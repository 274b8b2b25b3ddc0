// A message that could not be sent because the session had ended, kept in the tab's
// sessionStorage across the sign-in screen so that the person finds it again afterwards.
// Storage may be unavailable (private modes, quotas): then the draft is simply not kept.

const DRAFT_KEY = "chatd.unsent-draft";
const SESSION_ENDED_KEY = "chatd.session-ended";

export function keepDraftForAfterSignIn(text: string): void {
  try {
    sessionStorage.setItem(DRAFT_KEY, text);
    sessionStorage.setItem(SESSION_ENDED_KEY, "1");
  } catch {
    // not kept
  }
}

/** The kept draft, once: it is removed as it is taken. */
export function takeDraft(): string | null {
  try {
    const text = sessionStorage.getItem(DRAFT_KEY);
    sessionStorage.removeItem(DRAFT_KEY);
    return text;
  } catch {
    return null;
  }
}

/** Whether the sign-in screen shows because a session ended while in use. */
export function sessionEnded(): boolean {
  try {
    return sessionStorage.getItem(SESSION_ENDED_KEY) !== null;
  } catch {
    return false;
  }
}

export function forgetSessionEnded(): void {
  try {
    sessionStorage.removeItem(SESSION_ENDED_KEY);
  } catch {
    // nothing kept
  }
}
