// @vitest-environment jsdom
// The app wired together, with the API faked at the fetch level: sign-in state, the
// optimistic message, the streamed answer, and the list refresh after `complete`.

import { QueryClientProvider } from "@tanstack/react-query";
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAppQueryClient } from "../query-client";
import { completeEvent, contentEvent, errorResponse, jsonResponse, sseEvent, sseResponse, startEvent } from "../test-support/fake-fetch";
import { App } from "./App";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

type Handler = (init: RequestInit | undefined) => Response;

function installApi(routes: Record<string, Handler>) {
  const calls: string[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input.toString();
    const key = `${init?.method ?? "GET"} ${url}`;
    calls.push(key);
    const handler = routes[key];
    if (!handler) return errorResponse(404, "not_found");
    return handler(init);
  });
  vi.stubGlobal("fetch", fetchMock);
  return calls;
}

let container: HTMLDivElement;
let root: Root;

async function renderApp() {
  container = document.createElement("div");
  document.body.append(container);
  root = createRoot(container);
  await act(async () => {
    root.render(
      <QueryClientProvider client={createAppQueryClient()}>
        <App />
      </QueryClientProvider>,
    );
  });
}

async function waitFor<T>(probe: () => T | null | undefined | false, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time:\n" + document.body.innerHTML.slice(0, 2000));
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
  }
}

const byTestId = (id: string) => container.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const allByTestId = (id: string) => Array.from(container.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`));

function typeInto(element: HTMLInputElement | HTMLTextAreaElement, value: string) {
  const prototype = element instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(prototype, "value")?.set?.call(element, value);
  element.dispatchEvent(new Event("input", { bubbles: true }));
}

const user = { id: "user-id", username: "alice" };

describe("App", () => {
  beforeEach(() => {
    window.history.replaceState(null, "", "/");
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
    vi.unstubAllGlobals();
  });

  it("shows the sign-in form without a session and the API's error on a wrong password", async () => {
    installApi({
      "GET /api/auth/session": () => errorResponse(401, "unauthenticated"),
      "POST /api/auth/login": () => errorResponse(401, "invalid_credentials", "Wrong username or password."),
    });
    await renderApp();
    const username = await waitFor(() => byTestId("login-username") as HTMLInputElement | null);
    await act(async () => {
      typeInto(username, "alice");
      typeInto(byTestId("login-password") as HTMLInputElement, "bad password");
    });
    await act(async () => byTestId("login-submit")?.click());
    const error = await waitFor(() => byTestId("auth-error"));
    expect(error.textContent).toBe("Wrong username or password.");
  });

  it("sends a message, shows it at once, streams the answer and refreshes the list", async () => {
    let listed = [] as unknown[];
    const calls = installApi({
      "GET /api/auth/session": () => jsonResponse(200, { user }),
      "GET /api/conversations": () => jsonResponse(200, { conversations: listed }),
      "GET /api/conversations/conv-1": () =>
        jsonResponse(200, {
          conversation: { id: "conv-1", title: "Hi there", created_at: "", updated_at: "" },
          messages: [
            { id: "user-1", role: "user", content: "Hi there", status: "complete" },
            { id: "asst-1", role: "assistant", content: "Hello **world**", status: "complete" },
          ],
        }),
      "POST /api/chat/stream": () => {
        listed = [{ id: "conv-1", title: "Hi there", created_at: "", updated_at: "" }];
        return sseResponse([
          sseEvent(1, startEvent),
          sseEvent(2, contentEvent(1, "Hello ", 6)),
          sseEvent(3, contentEvent(2, "**world**", 15)),
          sseEvent(4, completeEvent("Hello **world**")),
        ]);
      },
    });
    await renderApp();
    const composer = await waitFor(() => byTestId("composer") as HTMLTextAreaElement | null);
    await act(async () => typeInto(composer, "Hi there"));
    await act(async () => {
      composer.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    });

    // Optimistic: the message is on screen before any answer arrived.
    expect(allByTestId("message-user").map((element) => element.textContent)).toContain("Hi there");

    const answer = await waitFor(() => {
      const element = allByTestId("message-assistant").at(-1);
      return element?.querySelector("strong")?.textContent === "world" && !byTestId("streaming-badge") ? element : null;
    });
    expect(answer.textContent).toContain("Hello world");
    expect(window.location.pathname).toBe("/c/conv-1");
    await waitFor(() => allByTestId("conversation-item").length === 1);
    expect(calls.filter((call) => call === "GET /api/conversations").length).toBeGreaterThanOrEqual(2);
    expect((byTestId("composer") as HTMLTextAreaElement).disabled).toBe(false);
  });

  it("picks up an answer that is still streaming when a conversation is opened", async () => {
    window.history.replaceState(null, "", "/c/conv-1");
    const calls = installApi({
      "GET /api/auth/session": () => jsonResponse(200, { user }),
      "GET /api/conversations": () => jsonResponse(200, { conversations: [] }),
      "GET /api/conversations/conv-1": () =>
        jsonResponse(200, {
          conversation: { id: "conv-1", title: "Long one", created_at: "", updated_at: "" },
          messages: [
            { id: "user-1", role: "user", content: "Tell me", status: "complete" },
            { id: "asst-1", role: "assistant", content: "Once upon", status: "streaming" },
          ],
        }),
      "GET /api/chat/stream/asst-1": (init) => {
        expect(new Headers(init?.headers).get("Last-Event-ID")).toBeNull();
        return sseResponse([
          sseEvent(1, startEvent),
          sseEvent(2, contentEvent(1, "Once upon", 9)),
          sseEvent(3, contentEvent(2, " a time.", 17)),
          sseEvent(4, completeEvent("Once upon a time.")),
        ]);
      },
    });
    await renderApp();
    await waitFor(() => allByTestId("message-assistant").at(-1)?.textContent?.includes("Once upon a time.") && !byTestId("streaming-badge"));
    expect(calls).toContain("GET /api/chat/stream/asst-1");
    expect(allByTestId("message-assistant")).toHaveLength(1);
  });
});
