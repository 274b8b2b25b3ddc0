// Browser plumbing of the end-to-end scenarios: Debian's Chromium through playwright-core,
// one fresh profile per run, one page (and one new user) per scenario, screenshots.

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/** The service under test (e2e/run-against-chatd.mjs starts chatd and sets this). */
export const baseUrl = (process.env.CHATD_E2E_BASE_URL ?? "http://127.0.0.1:8080").replace(/\/$/, "");

/** Where screenshots go: <artifacts>/screenshots/<scenario>--<state>.png. */
export const artifactsDir = resolve(process.env.CHATD_E2E_ARTIFACTS ?? "../build/e2e-artifacts");
const screenshotDir = join(artifactsDir, "screenshots");

/** The flags the issue asks for; playwright-core adds --user-data-dir (ours) and its own automation flags. */
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

export interface Session {
  context: BrowserContext;
  close: () => Promise<void>;
}

/**
 * Starts Chromium with a fresh profile directory. Playwright refuses `--user-data-dir` in
 * `args`; launchPersistentContext is how it takes one, and passes it as that flag.
 */
export async function launchBrowser(): Promise<Session> {
  const userDataDir = mkdtempSync(join(tmpdir(), "chatd-e2e-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    // Debian's Chromium: playwright-core never downloads a browser of its own here.
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_FLAGS,
    baseURL: baseUrl,
    viewport: { width: 1200, height: 800 },
  });
  for (const page of context.pages()) await page.close();
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A page plus what the scenario must never see happen on it. */
export interface ScenarioPage {
  page: Page;
  /** Script dialogs (alert, confirm, ...): an answer's HTML would have run. */
  dialogs: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** Every URL the page requested, in order. */
  requests: string[];
}

/** A new page for one scenario, signed out (cookies of the previous scenario cleared). */
export async function newScenarioPage(session: Session, viewport = { width: 1200, height: 800 }): Promise<ScenarioPage> {
  await session.context.clearCookies();
  await session.context.unrouteAll({ behavior: "ignoreErrors" });
  const page = await session.context.newPage();
  await page.setViewportSize(viewport);
  const scenario: ScenarioPage = { page, dialogs: [], pageErrors: [], requests: [] };
  page.on("dialog", (dialog) => {
    scenario.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on("pageerror", (error) => scenario.pageErrors.push(error.message));
  page.on("request", (request) => scenario.requests.push(request.url()));
  return scenario;
}

let screenshotCounter = 0;

/** Saves a screenshot of the whole page as <scenario>--<state>.png. */
export async function snap(page: Page, scenario: string, state: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  screenshotCounter += 1;
  const name = `${String(screenshotCounter).padStart(2, "0")}-${scenario}--${state}.png`.replace(/[^A-Za-z0-9._-]+/g, "-");
  await page.screenshot({ path: join(screenshotDir, name), fullPage: true, animations: "disabled", caret: "initial" });
}

let userCounter = 0;

export function uniqueUsername(): string {
  userCounter += 1;
  return `e2e_${Date.now().toString(36)}_${process.pid}_${userCounter}`;
}

export const testPassword = "correct horse battery";

/** Registers a new person through the sign-in screen and waits for the chat. */
export async function registerNewUser(page: Page): Promise<string> {
  const username = uniqueUsername();
  await page.goto("/");
  await page.getByTestId("login-username").fill(username);
  await page.getByTestId("login-password").fill(testPassword);
  await page.getByTestId("register-submit").click();
  await page.getByTestId("composer").waitFor();
  return username;
}

/** The last answer in the pane. */
export function lastAnswer(page: Page) {
  return page.getByTestId("message-assistant").last();
}

/** The visible text of the last answer (its markdown body, without header or notes). */
export async function lastAnswerText(page: Page): Promise<string> {
  return (await lastAnswer(page).locator(".message__body").innerText()).trim();
}

/** Resolves once the last answer shows at least `minChars` characters. */
export async function waitForAnswerLength(page: Page, minChars: number, timeout = 15_000): Promise<number> {
  const handle = await page.waitForFunction(
    (min) => {
      const answers = document.querySelectorAll('[data-testid="message-assistant"] .message__body');
      const text = (answers[answers.length - 1] as HTMLElement | undefined)?.innerText.trim() ?? "";
      return text.length >= min ? text.length : false;
    },
    minChars,
    { timeout },
  );
  return (await handle.jsonValue()) as number;
}

/**
 * Resolves once the answer has settled: no stream open (no badge), the composer usable
 * again, the text no longer being revealed (aria-busy off, no cursor).
 */
export async function waitForAnswerSettled(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const composer = document.querySelector<HTMLTextAreaElement>('[data-testid="composer"]');
      if (composer === null || composer.disabled) return false;
      if (document.querySelector('[data-testid="streaming-badge"]') !== null) return false;
      if (document.querySelector('[data-testid="message-assistant"] [aria-busy="true"]') !== null) return false;
      if (document.querySelector('[data-testid="message-assistant"] .markdown--cursor') !== null) return false;
      return document.querySelector('[data-testid="message-assistant"]') !== null;
    },
    undefined,
    { timeout },
  );
}

/** Sends with Enter and waits for the answer to settle. */
export async function sendAndWait(page: Page, text: string): Promise<void> {
  await page.getByTestId("composer").fill(text);
  await page.getByTestId("composer").press("Enter");
  await page.getByTestId("message-user").filter({ hasText: text.split("\n")[0] }).waitFor();
  await waitForAnswerSettled(page);
}

/** What the demo provider (the mock) answers to the first message of a conversation. */
export function mockEcho(userText: string, turn = 1, firstMessage = userText): string {
  return `Echo: ${userText} (turn ${turn}; first message: "${firstMessage}")`;
}

/** A mock-provider directive that makes the model answer exactly `text`. */
export function mockTextDirective(text: string): string {
  return `[[mock text=${encodeURIComponent(text).replace(/%20/g, "+")}]]`;
}

/** Splits a recorded SSE body into its events (each with its blank line), comments dropped. */
export function splitSseEvents(body: string): string[] {
  return body
    .replace(/\r\n?/g, "\n")
    .split("\n\n")
    .filter((block) => block.trim() !== "" && !block.startsWith(":"))
    .map((block) => block + "\n\n");
}

/** The conversation as the server stored it (with the page's session cookie). */
export async function storedConversation(page: Page, conversationId: string) {
  const response = await page.request.get(`/api/conversations/${conversationId}`);
  if (!response.ok()) throw new Error(`GET /api/conversations/${conversationId}: ${response.status()}`);
  return (await response.json()) as {
    conversation: { id: string; title: string };
    messages: { id: string; role: "user" | "assistant"; content: string; status: string }[];
  };
}

/** The open conversation's id, from the URL (/c/<id>). */
export function conversationIdFromUrl(page: Page): string {
  const match = /\/c\/([^/?#]+)/.exec(new URL(page.url()).pathname);
  if (!match?.[1]) throw new Error(`no conversation in the URL ${page.url()}`);
  return decodeURIComponent(match[1]);
}

/**
 * Visible controls without an accessible name (no text, aria-label, aria-labelledby,
 * label element or title): what a screen reader would announce as just "button".
 */
export async function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const controls = Array.from(document.querySelectorAll<HTMLElement>("button, a[href], input, textarea, select"));
    return controls
      .filter((control) => control.getClientRects().length > 0 && getComputedStyle(control).visibility !== "hidden")
      .filter((control) => {
        const labelledBy = control.getAttribute("aria-labelledby");
        const labels = (control as HTMLInputElement).labels;
        const name =
          control.getAttribute("aria-label") ??
          (labelledBy ? document.getElementById(labelledBy)?.textContent : null) ??
          (labels && labels.length > 0 ? labels[0]?.textContent : null) ??
          control.getAttribute("title") ??
          control.textContent;
        return (name ?? "").trim() === "";
      })
      .map((control) => control.outerHTML.slice(0, 120));
  });
}
