// Turns an answer's markdown into HTML that is safe to put into the page.
//
// The model's text is untrusted (a prompt can make it write anything), so:
//  - raw HTML in the markdown is shown as text, not interpreted;
//  - images are shown as links: an <img> would fetch its URL without a click, which a
//    prompt injection could use to send conversation data to someone else's server;
//  - the finished HTML goes through DOMPurify anyway, as a second line of defence.

import DOMPurify from "dompurify";
import { Marked, type Tokens } from "marked";
import { hljs } from "./highlight-languages";

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function highlightCode(code: string, language: string | undefined): { html: string; language: string | null } {
  const name = language?.trim().split(/\s+/)[0]?.toLowerCase();
  if (name && hljs.getLanguage(name)) {
    return { html: hljs.highlight(code, { language: name, ignoreIllegals: true }).value, language: name };
  }
  return { html: escapeHtml(code), language: null };
}

const markdownParser = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    code({ text, lang }: Tokens.Code): string {
      const { html, language } = highlightCode(text.replace(/\n$/, ""), lang);
      const languageClass = language ? ` language-${language}` : "";
      const label = language ? `<span class="code-block__language">${escapeHtml(language)}</span>` : "";
      return `<div class="code-block">${label}<pre><code class="hljs${languageClass}">${html}</code></pre></div>\n`;
    },
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text);
    },
    image({ href, text }: Tokens.Image): string {
      return `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`;
    },
  },
});

let purifierConfigured = false;

function configurePurifier(): void {
  if (purifierConfigured) return;
  purifierConfigured = true;
  DOMPurify.addHook("afterSanitizeAttributes", (node) => {
    // Links from an answer open elsewhere and learn nothing about this page.
    if (node.tagName === "A") {
      node.setAttribute("target", "_blank");
      node.setAttribute("rel", "noopener noreferrer nofollow");
    }
  });
}

/** Markdown to sanitized HTML. Without a DOM to sanitize with, returns escaped text. */
export function renderMarkdown(markdown: string): string {
  if (!DOMPurify.isSupported) return `<p>${escapeHtml(markdown)}</p>`;
  configurePurifier();
  const html = markdownParser.parse(markdown) as string;
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ["style", "img", "iframe", "form", "button", "textarea", "select", "svg", "math"],
    FORBID_ATTR: ["style"],
  });
}
