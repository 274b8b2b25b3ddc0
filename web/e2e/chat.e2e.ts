// End-to-end scenarios of the browser UI against the real chatd with its demo provider
// (the mock provider). Run them with `npm run test:e2e` (e2e/run-against-chatd.mjs starts
// chatd) or through ctest (`web_e2e_tests`).
//
// The mock obeys directives written in the message (tools/mock_provider/directives.hpp):
// `[[mock deltas=N rate=R]]` paces the answer, `[[mock text=...]]` dictates it,
// `[[mock fail=...]]` makes the provider fail so that chatd's own fallback runs. Faults the
// server cannot be asked for (its stream endpoint failing, a connection breaking after
// `start`) are injected in the browser with Playwright's request routing.
//
// No fixed sleeps: every step waits for a DOM state, a request or a response.

import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  conversationIdFromUrl,
  lastAnswer,
  lastAnswerText,
  launchBrowser,
  mockEcho,
  mockTextDirective,
  newScenarioPage,
  registerNewUser,
  sendAndWait,
  snap,
  splitSseEvents,
  storedConversation,
  testPassword,
  waitForAnswerLength,
  waitForAnswerSettled,
  unnamedControls,
  type ScenarioPage,
  type Session,
} from "./support/browser";

/** About 6 s of answer, one character or so per delta: time to watch, reload and stop. */
const SLOW = "[[mock deltas=60 rate=10]]";
/** About 2 s of answer: long enough to see it grow. */
const PACED = "[[mock deltas=20 rate=10]]";

let session: Session;

beforeAll(async () => {
  session = await launchBrowser();
});

afterAll(async () => {
  await session?.close();
});

/**
 * One scenario on its own page, signed out at first. A failure leaves a screenshot of the
 * page as it was; any script dialog or uncaught page error fails the scenario.
 */
function scenario(name: string, run: (s: ScenarioPage) => Promise<void>, viewport?: { width: number; height: number }) {
  it(name, async () => {
    const s = await newScenarioPage(session, viewport);
    const slug = name.replace(/[^A-Za-z0-9]+/g, "-").toLowerCase().slice(0, 60);
    try {
      await run(s);
      expect(s.dialogs, "script dialogs").toEqual([]);
      expect(s.pageErrors, "uncaught page errors").toEqual([]);
    } catch (error) {
      await snap(s.page, slug, "FAILED").catch(() => undefined);
      throw error;
    } finally {
      await s.page.close();
    }
  });
}

function isWholeAnswerRequest(request: Request): boolean {
  return new URL(request.url()).pathname === "/api/chat" && request.method() === "POST";
}

/** chatd's count of answers it had to fetch again without streaming (GET /metrics). */
async function fallbacksSoFar(page: Page): Promise<number> {
  const metrics = await (await page.request.get("/metrics")).text();
  const match = /^chatd_fallbacks_total (\d+)$/m.exec(metrics);
  if (!match?.[1]) throw new Error("no chatd_fallbacks_total in /metrics");
  return Number(match[1]);
}

/** Resolves once the last answer's stored status is `status`. */
async function waitForAnswerStatus(page: Page, status: string, timeout: number): Promise<void> {
  await page.waitForFunction(
    (wanted) => {
      const answers = document.querySelectorAll('[data-testid="message-assistant"]');
      return answers[answers.length - 1]?.getAttribute("data-status") === wanted;
    },
    status,
    { timeout },
  );
}

function requestsTo(s: ScenarioPage, pathname: string): number {
  return s.requests.filter((url) => new URL(url).pathname === pathname).length;
}

describe("signing in", () => {
  scenario("registers, signs out, refuses a wrong password and signs in again", async ({ page }) => {
    await page.goto("/");
    await page.getByTestId("login-username").waitFor();
    await snap(page, "sign-in", "empty-form");
    expect(await unnamedControls(page)).toEqual([]);
    const username = await registerNewUser(page);
    await snap(page, "sign-in", "registered");
    await page.getByTestId("sign-out").click();
    await page.getByTestId("login-username").waitFor();

    await page.getByTestId("login-username").fill(username);
    await page.getByTestId("login-password").fill("not the password");
    await page.getByTestId("login-submit").click();
    await page.getByTestId("auth-error").waitFor();
    expect((await page.getByTestId("auth-error").innerText()).trim()).not.toBe("");
    await snap(page, "sign-in", "wrong-password");

    await page.getByTestId("login-password").fill(testPassword);
    await page.getByTestId("login-submit").click();
    await page.getByTestId("composer").waitFor();
    expect(await page.getByText(username).count()).toBeGreaterThan(0);
  });

  scenario("a session that ended while in use: the sign-in screen says so, the message waits", async ({ page }) => {
    const username = await registerNewUser(page);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("composer");
    await page.context().clearCookies(); // as a sign-out in another tab would
    const prompt = "Written just as the session ended";
    await page.getByTestId("composer").fill(prompt);
    await page.getByTestId("composer").press("Enter");
    await page.getByTestId("session-ended").waitFor();
    await snap(page, "session-ended", "sign-in");
    await page.getByTestId("login-username").fill(username);
    await page.getByTestId("login-password").fill(testPassword);
    await page.getByTestId("login-submit").click();
    await page.getByTestId("composer-notice").waitFor();
    expect(await page.getByTestId("composer").inputValue()).toBe(prompt);
    await page.getByTestId("composer").press("Enter");
    await waitForAnswerSettled(page);
    expect(await lastAnswerText(page)).toBe(mockEcho(prompt));
  });

  scenario("another tab that signs out, or in as someone else, takes this tab with it", async ({ page }) => {
    const alice = await registerNewUser(page);
    await page.getByTestId("composer").fill(`Alice's question ${SLOW}`);
    await page.getByTestId("composer").press("Enter");
    await waitForAnswerLength(page, 3);

    // The same browser, so the same cookie: another tab signs out and registers someone else.
    const other = await page.context().newPage();
    try {
      await other.goto("/");
      await other.getByTestId("sign-out").click();
      await other.getByTestId("login-username").waitFor();
      const bob = await registerNewUser(other);
      // Before: this tab still said "Signed in as" alice, and what it sent was stored as bob's.
      await page.getByText(bob, { exact: true }).waitFor();
      expect(await page.getByText(alice, { exact: true }).count()).toBe(0);
      expect(await page.getByTestId("message-user").count()).toBe(0);
      expect(new URL(page.url()).pathname).toBe("/"); // a new chat, not alice's conversation
      await snap(page, "two-tabs", "switched-to-the-other-person");

      await other.getByTestId("sign-out").click();
      await page.getByTestId("login-username").waitFor();
    } finally {
      await other.close();
    }
  });

  scenario("shows the API's error when the username is taken", async ({ page }) => {
    const username = await registerNewUser(page);
    await page.getByTestId("sign-out").click();
    await page.getByTestId("login-username").fill(username);
    await page.getByTestId("login-password").fill(testPassword);
    await page.getByTestId("register-submit").click();
    await page.getByTestId("auth-error").waitFor();
    await snap(page, "sign-in", "username-taken");
  });
});

describe("chatting", () => {
  scenario("sends, shows the badge and the growing text, settles, and lists the conversation", async ({ page }) => {
    await registerNewUser(page);
    const question = "Hello, who are you?";
    const composer = page.getByRole("textbox", { name: "Message" });
    expect(await composer.getAttribute("data-testid")).toBe("composer");
    await composer.fill(`${question} ${PACED}`);
    await composer.press("Enter");

    // The person's message at once, then the answer's badge. Meanwhile the next message can be
    // written (the composer keeps the focus), but Enter does not send it.
    await page.getByTestId("message-user").filter({ hasText: question }).waitFor();
    await page.getByTestId("streaming-badge").waitFor();
    expect(await page.getByTestId("composer").isDisabled()).toBe(false);
    await page.keyboard.type("And again?");
    await page.keyboard.press("Enter");
    expect(await page.getByTestId("composer").inputValue()).toBe("And again?");
    expect(await page.getByTestId("message-user").count()).toBe(1);
    expect(await page.getByTestId("send").isDisabled()).toBe(true);
    expect(await page.getByTestId("stop").isVisible()).toBe(true);
    expect(await lastAnswer(page).locator('[aria-live="polite"]').count()).toBe(1);

    // Progressive: the visible text grows while the badge is still shown.
    const first = await waitForAnswerLength(page, 1);
    await snap(page, "send", "streaming-badge");
    await page.waitForFunction(
      (previous) => {
        const badge = document.querySelector('[data-testid="streaming-badge"]');
        const answers = document.querySelectorAll('[data-testid="message-assistant"] .message__body');
        const text = (answers[answers.length - 1] as HTMLElement | undefined)?.innerText.trim() ?? "";
        return badge !== null && text.length > previous;
      },
      first,
    );
    await snap(page, "send", "text-growing");

    await waitForAnswerSettled(page);
    await snap(page, "send", "settled");
    expect(await lastAnswerText(page)).toBe(mockEcho(question));
    expect(await lastAnswer(page).getAttribute("data-status")).toBe("complete");
    expect(await page.getByTestId("composer").inputValue()).toBe("And again?");
    expect(await page.getByTestId("send").isDisabled()).toBe(false);
    await page.waitForFunction(() => document.activeElement?.getAttribute("data-testid") === "composer");

    // The new conversation is in the URL, listed, and selected.
    const conversationId = conversationIdFromUrl(page);
    const item = page.getByTestId("conversation-list").getByTestId("conversation-item").filter({ hasText: question });
    await item.waitFor();
    expect(await item.locator('[aria-current="page"]').count()).toBe(1);
    await snap(page, "send", "listed");
    expect(await unnamedControls(page)).toEqual([]);

    // What the page shows is what the server stored.
    const stored = await storedConversation(page, conversationId);
    expect(stored.messages.map((m) => [m.role, m.status])).toEqual([
      ["user", "complete"],
      ["assistant", "complete"],
    ]);
    expect(stored.messages[1]?.content).toBe(mockEcho(question));

    // The message written meanwhile is the second turn, in the same conversation.
    await page.getByTestId("composer").press("Enter");
    await page.getByTestId("message-user").filter({ hasText: "And again?" }).waitFor();
    await waitForAnswerSettled(page);
    expect(await lastAnswerText(page)).toBe(mockEcho("And again?", 2, question));
    expect(conversationIdFromUrl(page)).toBe(conversationId);
    expect(await page.getByTestId("conversation-item").count()).toBe(1);
  });

  scenario("Enter sends, Shift+Enter starts a new line, an empty composer sends nothing", async ({ page }) => {
    await registerNewUser(page);
    const composer = page.getByTestId("composer");
    await composer.click();
    await composer.press("Enter");
    expect(await page.getByTestId("message-user").count()).toBe(0);
    expect(await page.getByTestId("send").isDisabled()).toBe(true);

    await composer.pressSequentially("first line");
    await composer.press("Shift+Enter");
    await composer.pressSequentially("second line");
    expect(await composer.inputValue()).toBe("first line\nsecond line");
    expect(await page.getByTestId("message-user").count()).toBe(0);
    await snap(page, "composer", "two-lines");

    await composer.press("Enter");
    // The bubble: while the message is unconfirmed its article also holds a hidden "Sending…".
    await page.getByTestId("message-user").waitFor();
    expect(await page.getByTestId("message-user").locator(".message__bubble").innerText()).toBe("first line\nsecond line");
    expect(await composer.inputValue()).toBe("");
    await waitForAnswerSettled(page);
    const stored = await storedConversation(page, conversationIdFromUrl(page));
    expect(stored.messages[0]?.content).toBe("first line\nsecond line");
    expect(stored.messages[1]?.content).toBe(mockEcho("first line\nsecond line"));
    await snap(page, "composer", "sent");
  });

  scenario("renders markdown with a highlighted code block", async ({ page }) => {
    await registerNewUser(page);
    const markdown = [
      "Here is **bold** text and a list:",
      "",
      "- one",
      "- two",
      "",
      "```python",
      "def add(a, b):",
      "    return a + b",
      "```",
      "",
    ].join("\n");
    await sendAndWait(page, `Show me some code ${mockTextDirective(markdown)}`);
    const answer = lastAnswer(page);
    expect(await answer.locator("strong").innerText()).toBe("bold");
    expect(await answer.locator("li").allInnerTexts()).toEqual(["one", "two"]);
    const code = answer.locator(".code-block pre code.hljs.language-python");
    expect(await code.count()).toBe(1);
    expect(await code.innerText()).toBe("def add(a, b):\n    return a + b");
    expect(await code.locator(".hljs-keyword").allInnerTexts()).toEqual(expect.arrayContaining(["def", "return"]));
    expect(await answer.locator(".code-block__language").innerText()).toBe("python");
    // Highlighted means coloured: the keyword's colour differs from the plain code's.
    const colours = await code.evaluate((element) => ({
      plain: getComputedStyle(element).color,
      keyword: getComputedStyle(element.querySelector(".hljs-keyword") as Element).color,
    }));
    expect(colours.keyword).not.toBe(colours.plain);
    await snap(page, "markdown", "code-block");
  });

  scenario("stops an answer with the Stop button", async ({ page }) => {
    await registerNewUser(page);
    const prompt = "Tell me a story";
    await page.getByTestId("composer").fill(`${prompt} ${SLOW}`);
    await page.getByTestId("send").click();
    await page.getByTestId("streaming-badge").waitFor();
    await waitForAnswerLength(page, 8);
    await snap(page, "stop", "before-stop");
    const stopResponse = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/chat/stop");
    await page.getByTestId("stop").click();
    expect((await stopResponse).status()).toBe(200);
    await waitForAnswerSettled(page);
    await snap(page, "stop", "stopped");

    expect(await lastAnswer(page).getAttribute("data-status")).toBe("stopped");
    await lastAnswer(page).getByText("Stopped.").waitFor();
    expect(await page.getByTestId("stop").count()).toBe(0);
    const shown = await lastAnswerText(page);
    const full = mockEcho(prompt);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(full.length);
    expect(full.startsWith(shown)).toBe(true);

    const stored = await storedConversation(page, conversationIdFromUrl(page));
    expect(stored.messages[1]?.status).toBe("stopped");
    expect(stored.messages[1]?.content.trim()).toBe(shown);

    // After a reload the stored, stopped answer is shown as such.
    await page.reload();
    await lastAnswer(page).getByText("Stopped.").waitFor();
    expect(await lastAnswerText(page)).toBe(shown);
  });

  scenario("picks the stream up again after a reload in the middle of an answer", async ({ page }) => {
    await registerNewUser(page);
    const prompt = "Tell me a long story";
    await page.getByTestId("composer").fill(`${prompt} ${SLOW}`);
    await page.getByTestId("send").click();
    await page.waitForURL(/\/c\/[^/]+$/);
    const conversationId = conversationIdFromUrl(page);
    await waitForAnswerLength(page, 8);
    await snap(page, "reload", "before-reload");

    // The reloaded page finds the answer still `streaming` and attaches to its stream.
    const attach = page.waitForRequest((request) => /\/api\/chat\/stream\/[^/]+$/.test(new URL(request.url()).pathname));
    await page.reload();
    const attachRequest = await attach;
    expect(await attachRequest.headerValue("last-event-id")).toBeNull();
    await page.getByTestId("streaming-badge").waitFor();
    await snap(page, "reload", "reattached");
    await waitForAnswerSettled(page);
    await snap(page, "reload", "settled");
    expect(new URL(page.url()).pathname).toBe(`/c/${conversationId}`);
    expect(await lastAnswer(page).getAttribute("data-status")).toBe("complete");
    // The replayed stream shows the answer once, whole: nothing doubled or lost.
    expect(await lastAnswerText(page)).toBe(mockEcho(prompt));
    expect(await page.getByTestId("message-user").count()).toBe(1);
    expect(await page.getByTestId("message-assistant").count()).toBe(1);

    await page.reload();
    await page.getByTestId("message-assistant").waitFor();
    expect(await lastAnswerText(page)).toBe(mockEcho(prompt));
    expect(await page.getByTestId("streaming-badge").count()).toBe(0);
  });

  scenario("renames and deletes a conversation", async ({ page }) => {
    await registerNewUser(page);
    await sendAndWait(page, "Something to keep");
    const item = page.getByTestId("conversation-item").first();
    await item.getByTestId("rename-conversation").click();
    await item.getByTestId("rename-input").fill("Renamed by the test");
    await item.getByTestId("rename-input").press("Enter");
    await page.getByTestId("conversation-list").getByText("Renamed by the test").waitFor();
    await snap(page, "conversations", "renamed");
    expect((await storedConversation(page, conversationIdFromUrl(page))).conversation.title).toBe("Renamed by the test");
    // A rename ended by a key leaves the focus on its button (before: on the page's body).
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute("data-testid"));
    expect(await focused()).toBe("rename-conversation");
    await page.keyboard.press("Enter");
    await item.getByTestId("rename-input").fill("Not kept");
    await page.keyboard.press("Escape");
    await item.getByTestId("rename-conversation").waitFor();
    expect(await focused()).toBe("rename-conversation");
    expect(await item.innerText()).toContain("Renamed by the test");

    // Escape takes the confirmation back; nothing is deleted.
    await item.getByTestId("delete-conversation").click();
    await item.getByTestId("confirm-delete").waitFor();
    await page.keyboard.press("Escape");
    await item.getByTestId("delete-conversation").waitFor();
    expect(await item.getByTestId("confirm-delete").count()).toBe(0);
    expect(await focused()).toBe("delete-conversation"); // back where it was (before: Rename)

    await item.getByTestId("delete-conversation").click();
    await item.getByTestId("confirm-delete").waitFor();
    await snap(page, "conversations", "confirm-delete");
    await item.getByTestId("confirm-delete").click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="conversation-item"]').length === 0);
    expect(new URL(page.url()).pathname).toBe("/");
    const list = await page.request.get("/api/conversations");
    expect(((await list.json()) as { conversations: unknown[] }).conversations).toEqual([]);
  });
});

describe("fallbacks", () => {
  scenario("the provider fails before streaming: chatd answers without streaming, the UI shows it whole", async ({ page }) => {
    await registerNewUser(page);
    const prompt = "Fallback please";
    const fallbacksBefore = await fallbacksSoFar(page);
    await page.getByTestId("composer").fill(`${prompt} [[mock fail=http_500]]`);
    await page.getByTestId("composer").press("Enter");
    await page.getByTestId("streaming-badge").waitFor();
    await waitForAnswerSettled(page);
    expect(await fallbacksSoFar(page)).toBe(fallbacksBefore + 1);
    await snap(page, "provider-fails", "settled");
    expect(await lastAnswerText(page)).toBe(mockEcho(prompt));
    expect(await lastAnswer(page).getAttribute("data-status")).toBe("complete");
  });

  scenario("the provider breaks mid-stream: the fallback's final text replaces what was streamed", async ({ page }) => {
    await registerNewUser(page);
    const prompt = "Cut me off after three words please";
    const fallbacksBefore = await fallbacksSoFar(page);
    await page.getByTestId("composer").fill(`${prompt} [[mock fail=cut after=3 rate=20]]`);
    await page.getByTestId("composer").press("Enter");
    await waitForAnswerLength(page, 1);
    await waitForAnswerSettled(page);
    expect(await fallbacksSoFar(page)).toBe(fallbacksBefore + 1);
    await snap(page, "provider-breaks", "settled");
    expect(await lastAnswerText(page)).toBe(mockEcho(prompt));
    await page.reload();
    await page.getByTestId("message-assistant").waitFor();
    expect(await lastAnswerText(page)).toBe(mockEcho(prompt));
  });

  scenario("the stream endpoint fails to open: POST /api/chat brings the whole answer", async ({ page }) => {
    await registerNewUser(page);
    await page.route("**/api/chat/stream", (route) =>
      route.fulfill({ status: 503, contentType: "application/json", body: '{"error":{"code":"upstream_unavailable","message":"down"}}' }),
    );
    const prompt = "Whole answer please";
    const streamRequest = page.waitForRequest((request) => new URL(request.url()).pathname === "/api/chat/stream");
    const wholeAnswer = page.waitForRequest(isWholeAnswerRequest);
    await page.getByTestId("composer").fill(prompt);
    await page.getByTestId("composer").press("Enter");
    const [first, second] = [await streamRequest, await wholeAnswer];
    expect(await second.headerValue("idempotency-key")).toBe(await first.headerValue("idempotency-key"));
    await waitForAnswerSettled(page);
    await snap(page, "stream-fails", "whole-answer");
    expect(await lastAnswerText(page)).toBe(mockEcho(prompt));
    const stored = await storedConversation(page, conversationIdFromUrl(page));
    expect(stored.messages.map((m) => [m.role, m.status, m.content])).toEqual([
      ["user", "complete", prompt],
      ["assistant", "complete", mockEcho(prompt)],
    ]);
  });

  scenario("the stream breaks after start: resumes with Last-Event-ID", async (s) => {
    const { page } = s;
    await registerNewUser(page);
    await page.route("**/api/chat/stream", async (route) => {
      const response = await route.fetch();
      const events = splitSseEvents(await response.text());
      // Deliver only the first three events, as if the connection dropped.
      await route.fulfill({ response, body: events.slice(0, 3).join("") });
    });
    const prompt = "Break the stream please";
    const resume = page.waitForRequest((request) => /\/api\/chat\/stream\/[^/]+$/.test(new URL(request.url()).pathname));
    await page.getByTestId("composer").fill(prompt);
    await page.getByTestId("composer").press("Enter");
    const resumeRequest = await resume;
    expect(await resumeRequest.headerValue("last-event-id")).toBe("3");
    await waitForAnswerSettled(page);
    await snap(page, "stream-breaks", "resumed");
    expect(await lastAnswer(page).getAttribute("data-status")).toBe("complete");
    expect(await lastAnswerText(page)).toBe(mockEcho(prompt));
    expect(requestsTo(s, "/api/chat")).toBe(0);
  });

  scenario("the stream breaks and resuming fails: POST /api/chat with the same key, stored once", async (s) => {
    const { page } = s;
    await registerNewUser(page);
    await page.route("**/api/chat/stream", async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: splitSseEvents(await response.text()).slice(0, 2).join("") });
    });
    await page.route(/\/api\/chat\/stream\/[^/]+$/, (route) => route.fulfill({ status: 503, body: "" }));
    const prompt = "Break everything please";
    const streamRequest = page.waitForRequest((request) => new URL(request.url()).pathname === "/api/chat/stream");
    const wholeAnswer = page.waitForRequest(isWholeAnswerRequest);
    await page.getByTestId("composer").fill(prompt);
    await page.getByTestId("composer").press("Enter");
    const [first, second] = [await streamRequest, await wholeAnswer];
    expect(await second.headerValue("idempotency-key")).toBe(await first.headerValue("idempotency-key"));
    await waitForAnswerSettled(page);
    await snap(page, "resume-fails", "whole-answer");
    expect(await lastAnswerText(page)).toBe(mockEcho(prompt));
    // The repeated turn attached to the one already stored: one question, one answer.
    const stored = await storedConversation(page, conversationIdFromUrl(page));
    expect(stored.messages.map((m) => [m.role, m.status, m.content])).toEqual([
      ["user", "complete", prompt],
      ["assistant", "complete", mockEcho(prompt)],
    ]);
    expect(requestsTo(s, "/api/chat/stream")).toBe(1);
    expect(requestsTo(s, "/api/chat")).toBe(1);
  });
});

describe("when the server cannot be reached", () => {
  scenario("mid-answer for longer than the resumes last: the stored answer shows once it can be reached", async (s) => {
    const { page } = s;
    await registerNewUser(page);
    let reachable = true;
    // The first stream delivers its first three events, then the network is gone for every
    // request of this conversation (resumes, the whole-answer fallback, fetches of it).
    await page.route("**/api/chat/stream", async (route) => {
      const response = await route.fetch();
      reachable = false;
      await route.fulfill({ response, body: splitSseEvents(await response.text()).slice(0, 3).join("") });
    });
    await page.route(/\/api\/(chat\/stream\/[^/]+|chat|conversations\/[^/]+)$/, (route) =>
      reachable ? route.continue() : route.abort("internetdisconnected"),
    );
    const prompt = "Lose the network please";
    await page.getByTestId("composer").fill(`${prompt} ${PACED}`);
    await page.getByTestId("composer").press("Enter");
    await waitForAnswerStatus(page, "failed", 30_000);
    await snap(page, "unreachable-mid-answer", "lost");
    reachable = true;
    // No reload: the page looks for the conversation again by itself.
    await waitForAnswerStatus(page, "complete", 20_000);
    await snap(page, "unreachable-mid-answer", "recovered");
    expect(await lastAnswerText(page)).toBe(mockEcho(prompt));
  });

  scenario("the conversation list's notice goes by itself once the server can be reached again", async ({ page }) => {
    await registerNewUser(page);
    let reachable = false;
    await page.route(/\/api\/conversations$/, (route) => (reachable ? route.continue() : route.abort("internetdisconnected")));
    // The list is fetched again after an answer: that fetch fails.
    await sendAndWait(page, "Refresh the list please");
    const notice = page.getByTestId("sidebar-notice");
    await notice.waitFor();
    await snap(page, "list-unreachable", "notice");
    reachable = true;
    // No click, no focus change: before, the notice stayed until something else fetched the list.
    await notice.waitFor({ state: "detached", timeout: 15_000 });
    await page.getByTestId("conversation-list").getByText("Refresh the list please").waitFor();
  });

  scenario("before the message is taken: it comes back to the composer with why, and sends later", async (s) => {
    const { page } = s;
    await registerNewUser(page);
    let reachable = false;
    await page.route(/\/api\/chat(\/stream)?$/, (route) => (reachable ? route.continue() : route.abort("internetdisconnected")));
    const prompt = "A carefully written question";
    await page.getByTestId("composer").fill(prompt);
    await page.getByTestId("composer").press("Enter");
    await page.getByTestId("composer-notice").waitFor({ timeout: 30_000 });
    await snap(page, "unreachable-before-send", "returned");
    expect(await page.getByTestId("composer").inputValue()).toBe(prompt);
    expect(await page.getByTestId("composer-notice").innerText()).toContain("Not sent");
    expect(await page.getByTestId("message-user").count()).toBe(0);
    reachable = true;
    await page.getByTestId("composer").press("Enter");
    await waitForAnswerSettled(page);
    expect(await lastAnswerText(page)).toBe(mockEcho(prompt));
    expect(await page.getByTestId("composer-notice").count()).toBe(0);
    const stored = await storedConversation(page, conversationIdFromUrl(page));
    expect(stored.messages.map((m) => [m.role, m.content])).toEqual([
      ["user", prompt],
      ["assistant", mockEcho(prompt)],
    ]);
    expect(requestsTo(s, "/api/chat/stream")).toBe(2);
  });

  scenario("a message far over the size limit comes back to the composer, saying so", async ({ page }) => {
    await registerNewUser(page);
    // chatd drops the connection of a body this far over its limit (64 KiB) without a 413.
    const huge = "long text ".repeat(20_000);
    await page.getByTestId("composer").fill(huge);
    await page.getByTestId("composer").press("Enter");
    await page.getByTestId("composer-notice").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("composer-notice").innerText()).toContain("the message is too long (196 KiB");
    expect((await page.getByTestId("composer").inputValue()).length).toBe(huge.trimEnd().length);
    expect(await page.getByTestId("message-user").count()).toBe(0);
  });
});

describe("safety and layout", () => {
  scenario("keeps HTML in an answer inert", async (s) => {
    const { page } = s;
    await registerNewUser(page);
    const hostile = "<img src=x onerror=alert(1)>";
    // The directive the issue names: the model answers exactly the hostile markup.
    const directive = "[[mock text=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E]]";
    expect(directive).toBe(mockTextDirective(hostile));
    await page.getByTestId("composer").fill(`Say something nasty ${directive}`);
    await page.getByTestId("composer").press("Enter");
    await waitForAnswerSettled(page);
    await snap(page, "xss", "answer-inert");
    expect(await lastAnswerText(page)).toBe(hostile);

    // The person's own markup, echoed back in a second turn, stays text too.
    const typed = "<img src=y onerror=alert(2)> <script>alert(3)</script> ![t](z)";
    await sendAndWait(page, typed);
    expect(await page.getByTestId("message-user").last().locator(".message__bubble").innerText()).toBe(typed);
    expect(await lastAnswer(page).innerText()).toContain("<script>alert(3)</script>");

    const injected = 'main img, main script, main iframe, [data-testid="message-assistant"] [onerror]';
    expect(await page.locator(injected).count()).toBe(0);
    // The stored answers, rendered from the database after a reload, are just as inert.
    await page.reload();
    await page.getByTestId("message-assistant").nth(1).waitFor();
    expect(await page.getByTestId("message-assistant").first().locator(".message__body").innerText()).toBe(hostile);
    expect(await page.locator(injected).count()).toBe(0);
    await snap(page, "xss", "after-reload");
    // An <img> would have asked for /x, /y or /z even without running its onerror.
    const fetched = s.requests.map((url) => new URL(url).pathname).filter((path) => ["/x", "/y", "/z"].includes(path));
    expect(fetched).toEqual([]);
    expect(s.dialogs).toEqual([]);
  });

  scenario(
    "fits a phone: the sidebar hides behind a toggle, Escape closes it, nothing overflows",
    async ({ page }) => {
      await registerNewUser(page);
      expect(await page.getByTestId("new-chat").isVisible()).toBe(false);
      const noHorizontalOverflow = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
      expect(await noHorizontalOverflow()).toBe(true);

      await sendAndWait(page, "A question typed on a phone, long enough to need more than one line of the narrow screen");
      expect(await noHorizontalOverflow()).toBe(true);
      await snap(page, "phone", "chat");

      const toggle = page.getByRole("button", { name: "Show conversations" });
      await toggle.click();
      await page.getByTestId("new-chat").waitFor({ state: "visible" });
      await page.getByTestId("conversation-item").waitFor({ state: "visible" });
      await snap(page, "phone", "sidebar-open");
      expect(await unnamedControls(page)).toEqual([]);
      await page.keyboard.press("Escape");
      await page.getByTestId("new-chat").waitFor({ state: "hidden" });
      await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Show conversations");
    },
    { width: 390, height: 800 },
  );
});
