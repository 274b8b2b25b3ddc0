// @vitest-environment jsdom
// The composer on its own: what Enter does while an answer is still being written.

import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { Composer } from "./Composer";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;

beforeEach(() => {
  container = document.createElement("div");
  document.body.append(container);
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

function render(busy: boolean, onSend: (text: string) => void) {
  act(() => root.render(<Composer busy={busy} canStop={false} stopping={false} onSend={onSend} onStop={() => undefined} />));
}

function type(text: string) {
  const textarea = container.querySelector<HTMLTextAreaElement>('[data-testid="composer"]')!;
  const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")!.set!;
  act(() => {
    setValue.call(textarea, text);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  });
  return textarea;
}

function notice(): string | null {
  return container.querySelector('[data-testid="composer-notice"]')?.textContent ?? null;
}

it("Enter during an answer keeps the message, says it is not sent yet, and the notice goes when the answer ends", () => {
  const onSend = vi.fn();
  render(true, onSend);
  const textarea = type("the next question");
  act(() => {
    textarea.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
  });
  expect(onSend).not.toHaveBeenCalled();
  expect(textarea.value).toBe("the next question");
  // Before: nothing happened, under a placeholder that promised to send it by itself.
  expect(notice()).toMatch(/^Not sent yet: an answer is still being written/);
  expect(textarea.placeholder).toBe("Write the next message; send it once the answer is done");

  render(false, onSend);
  expect(notice()).toBeNull();
  act(() => {
    textarea.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
  });
  expect(onSend).toHaveBeenCalledWith("the next question");
});
