import { chromium, type Browser, type Page } from "playwright-core";

/** Where the service under test runs; chatd's default listen address unless told. */
export const baseUrl = (process.env.CHATD_E2E_BASE_URL ?? "http://127.0.0.1:8080").replace(/\/$/, "");

/** A prompt that makes the answer take several seconds (time to stop it or reload). */
export const slowPrompt = process.env.CHATD_E2E_SLOW_PROMPT ?? "[slow] Please tell me a long story.";

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    // Debian's Chromium: playwright-core never downloads a browser of its own here.
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
}

export async function newPage(browser: Browser, viewport = { width: 1200, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport, baseURL: baseUrl });
  const page = await context.newPage();
  // Any script dialog means an answer's HTML ran: fail loudly.
  page.on("dialog", (dialog) => {
    throw new Error(`unexpected dialog: ${dialog.message()}`);
  });
  return page;
}

let userCounter = 0;

export function uniqueUsername(): string {
  userCounter += 1;
  return `e2e_${Date.now().toString(36)}_${process.pid}_${userCounter}`;
}

export const testPassword = "correct horse battery";

export async function registerNewUser(page: Page): Promise<string> {
  const username = uniqueUsername();
  await page.goto("/");
  await page.getByTestId("login-username").fill(username);
  await page.getByTestId("login-password").fill(testPassword);
  await page.getByTestId("register-submit").click();
  await page.getByTestId("composer").waitFor();
  return username;
}

/** Sends a message with the composer and waits for its answer to finish streaming. */
export async function sendAndWait(page: Page, text: string): Promise<void> {
  await page.getByTestId("composer").fill(text);
  await page.getByTestId("composer").press("Enter");
  await waitForAnswerDone(page);
}

export async function waitForAnswerDone(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const composer = document.querySelector<HTMLTextAreaElement>('[data-testid="composer"]');
      return composer !== null && !composer.disabled && document.querySelector('[data-testid="streaming-badge"]') === null;
    },
    undefined,
    { timeout },
  );
}

/** One SSE event as chatd writes it. */
export function sseEvent(id: number, payload: unknown): string {
  return `id: ${id}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/** Splits a recorded SSE body into its events (each with its blank line). */
export function splitSseEvents(body: string): string[] {
  return body
    .replace(/\r\n?/g, "\n")
    .split("\n\n")
    .filter((block) => block.trim() !== "" && !block.startsWith(":"))
    .map((block) => block + "\n\n");
}
