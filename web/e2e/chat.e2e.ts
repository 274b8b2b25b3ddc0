// End-to-end scenarios of the browser UI against a running service.
// Faults are injected in the browser with Playwright's request routing, so the same
// scenarios run against chatd and against scripts/mock-chatd.mjs.

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  launchBrowser,
  newPage,
  registerNewUser,
  sendAndWait,
  slowPrompt,
  splitSseEvents,
  sseEvent,
  testPassword,
  waitForAnswerDone,
} from "./support/browser";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function lastAnswer(page: Page) {
  return page.getByTestId("message-assistant").last();
}

describe("signing in", () => {
  it("registers, signs out, refuses a wrong password and signs in again", async () => {
    const page = await newPage(browser);
    const username = await registerNewUser(page);
    await page.getByTestId("sign-out").click();
    await page.getByTestId("login-username").waitFor();

    await page.getByTestId("login-username").fill(username);
    await page.getByTestId("login-password").fill("not the password");
    await page.getByTestId("login-submit").click();
    await expect(page.getByTestId("auth-error").textContent()).resolves.toBeTruthy();

    await page.getByTestId("login-password").fill(testPassword);
    await page.getByTestId("login-submit").click();
    await page.getByTestId("composer").waitFor();
    await page.close();
  });

  it("shows the API's error when the username is taken", async () => {
    const page = await newPage(browser);
    const username = await registerNewUser(page);
    await page.getByTestId("sign-out").click();
    await page.getByTestId("login-username").fill(username);
    await page.getByTestId("login-password").fill(testPassword);
    await page.getByTestId("register-submit").click();
    await page.getByTestId("auth-error").waitFor();
    await page.close();
  });
});

describe("chatting", () => {
  it("shows the message at once, streams the answer with the badge, and lists the new conversation", async () => {
    const page = await newPage(browser);
    await registerNewUser(page);
    await page.getByTestId("composer").fill("Hello, who are you?");
    await page.getByTestId("composer").press("Enter");

    await page.getByTestId("message-user").filter({ hasText: "Hello, who are you?" }).waitFor({ timeout: 1000 });
    await page.getByTestId("streaming-badge").waitFor();
    expect(await page.getByTestId("composer").isDisabled()).toBe(true);

    // Progressive: the visible text grows over several observations.
    const lengths: number[] = [];
    for (let sample = 0; sample < 5; sample++) {
      lengths.push(((await (await lastAnswer(page)).textContent()) ?? "").length);
      await page.waitForTimeout(150);
    }
    expect(new Set(lengths).size).toBeGreaterThan(1);

    await waitForAnswerDone(page);
    expect(((await (await lastAnswer(page)).textContent()) ?? "").length).toBeGreaterThan(10);
    expect(page.url()).toMatch(/\/c\/[^/]+$/);
    await page.getByTestId("conversation-item").first().waitFor();
    await page.close();
  });

  it("uses Shift+Enter for a new line and Enter to send", async () => {
    const page = await newPage(browser);
    await registerNewUser(page);
    const composer = page.getByTestId("composer");
    await composer.click();
    await composer.pressSequentially("first line");
    await composer.press("Shift+Enter");
    await composer.pressSequentially("second line");
    expect(await composer.inputValue()).toBe("first line\nsecond line");
    await composer.press("Enter");
    await page.getByTestId("message-user").waitFor();
    expect(await page.getByTestId("message-user").innerText()).toContain("second line");
    await waitForAnswerDone(page);
    await page.close();
  });

  it("stops an answer with the Stop button", async () => {
    const page = await newPage(browser);
    await registerNewUser(page);
    await page.getByTestId("composer").fill(slowPrompt);
    await page.getByTestId("send").click();
    await page.getByTestId("streaming-badge").waitFor();
    await page.waitForTimeout(800);
    await page.getByTestId("stop").click();
    await waitForAnswerDone(page);
    expect(await (await lastAnswer(page)).getAttribute("data-status")).toBe("stopped");
    await page.close();
  });

  it("picks the stream up again after a reload in the middle of an answer", async () => {
    const page = await newPage(browser);
    await registerNewUser(page);
    await page.getByTestId("composer").fill(slowPrompt);
    await page.getByTestId("send").click();
    await page.waitForURL(/\/c\//);
    await page.waitForTimeout(1000);
    await page.reload();
    await page.getByTestId("streaming-badge").waitFor();
    await waitForAnswerDone(page);
    expect(await (await lastAnswer(page)).getAttribute("data-status")).toBe("complete");
    // What the replayed stream showed is exactly the stored answer (nothing doubled).
    await page.waitForTimeout(1000);
    const followed = await (await lastAnswer(page)).innerText();
    await page.reload();
    await page.getByTestId("message-assistant").first().waitFor();
    expect(await (await lastAnswer(page)).innerText()).toBe(followed);
    await page.close();
  });

  it("renames and deletes a conversation", async () => {
    const page = await newPage(browser);
    await registerNewUser(page);
    await sendAndWait(page, "Something to keep");
    const item = page.getByTestId("conversation-item").first();
    await item.getByTestId("rename-conversation").click();
    await item.getByTestId("rename-input").fill("Renamed by the test");
    await item.getByTestId("rename-input").press("Enter");
    await page.getByTestId("conversation-list").getByText("Renamed by the test").waitFor();

    await item.getByTestId("delete-conversation").click();
    await item.getByTestId("confirm-delete").click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="conversation-item"]').length === 0);
    expect(new URL(page.url()).pathname).toBe("/");
    await page.close();
  });
});

describe("fallbacks", () => {
  it("asks POST /api/chat for the whole answer when the stream fails before start", async () => {
    const page = await newPage(browser);
    await registerNewUser(page);
    await page.route("**/api/chat/stream", (route) =>
      route.fulfill({ status: 503, contentType: "application/json", body: '{"error":{"code":"upstream_unavailable","message":"down"}}' }),
    );
    const wholeAnswer = page.waitForRequest((request) => request.url().endsWith("/api/chat") && request.method() === "POST");
    await page.getByTestId("composer").fill("Fallback please");
    await page.getByTestId("composer").press("Enter");
    await wholeAnswer;
    await waitForAnswerDone(page);
    expect(((await (await lastAnswer(page)).textContent()) ?? "").length).toBeGreaterThan(10);
    await page.close();
  });

  it("resumes with Last-Event-ID when the stream breaks after start", async () => {
    const page = await newPage(browser);
    await registerNewUser(page);
    await page.route("**/api/chat/stream", async (route) => {
      const response = await route.fetch();
      const events = splitSseEvents(await response.text());
      // Deliver only the first three events, as if the connection dropped.
      await route.fulfill({ response, body: events.slice(0, 3).join("") });
    });
    const resume = page.waitForRequest((request) => /\/api\/chat\/stream\/[^/]+$/.test(request.url()));
    await page.getByTestId("composer").fill("Break the stream please");
    await page.getByTestId("composer").press("Enter");
    const resumeRequest = await resume;
    expect(await resumeRequest.headerValue("last-event-id")).toBe("3");
    await waitForAnswerDone(page);
    expect(await (await lastAnswer(page)).getAttribute("data-status")).toBe("complete");
    await page.close();
  });

  it("falls back to POST /api/chat when resuming fails too", async () => {
    const page = await newPage(browser);
    await registerNewUser(page);
    await page.route("**/api/chat/stream", async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: splitSseEvents(await response.text()).slice(0, 2).join("") });
    });
    await page.route(/\/api\/chat\/stream\/[^/]+$/, (route) => route.fulfill({ status: 503, body: "" }));
    const wholeAnswer = page.waitForRequest((request) => request.url().endsWith("/api/chat") && request.method() === "POST");
    await page.getByTestId("composer").fill("Break everything please");
    await page.getByTestId("composer").press("Enter");
    await wholeAnswer;
    await waitForAnswerDone(page);
    expect(((await (await lastAnswer(page)).textContent()) ?? "").length).toBeGreaterThan(10);
    await page.close();
  });
});

describe("safety and layout", () => {
  it("keeps HTML in an answer inert", async () => {
    const page = await newPage(browser);
    await registerNewUser(page);
    const hostile = 'Look: <img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script>';
    await page.route("**/api/chat/stream", (route) =>
      route.fulfill({
        status: 200,
        contentType: "text/event-stream",
        body:
          sseEvent(1, { type: "start", message: "", conversation_id: "c-x", user_message_id: "u-x", assistant_message_id: "a-x", timestamp: 0 }) +
          sseEvent(2, { type: "content", data: hostile, chunk_id: 1, total_chars: hostile.length }) +
          sseEvent(3, { type: "complete", final_content: hostile, message_id: "a-x", status: "complete", stored_in_db: true }),
      }),
    );
    await page.getByTestId("composer").fill("Say something nasty");
    await page.getByTestId("composer").press("Enter");
    await (await lastAnswer(page)).getByText("onerror").waitFor();
    await page.waitForTimeout(500);
    expect(await page.locator('[data-testid="message-assistant"] img, [data-testid="message-assistant"] script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.close();
  });

  it("hides the sidebar behind a toggle at phone width", async () => {
    const page = await newPage(browser, { width: 390, height: 800 });
    await registerNewUser(page);
    expect(await page.getByTestId("new-chat").isVisible()).toBe(false);
    await page.getByRole("button", { name: "Show conversations" }).click();
    await page.getByTestId("new-chat").waitFor({ state: "visible" });
    await page.keyboard.press("Escape");
    await page.getByTestId("new-chat").waitFor({ state: "hidden" });
    await page.close();
  });
});
