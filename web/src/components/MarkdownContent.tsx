import { memo, useMemo } from "react";
import { renderMarkdown } from "../lib/markdown";

/**
 * Rendered markdown. The HTML comes from renderMarkdown, which escapes raw HTML and
 * sanitizes the result with DOMPurify; nothing else is ever put into innerHTML.
 */
export const MarkdownContent = memo(function MarkdownContent({ markdown, showCursor }: { markdown: string; showCursor: boolean }) {
  const html = useMemo(() => renderMarkdown(markdown), [markdown]);
  return <div className={`markdown${showCursor ? " markdown--cursor" : ""}`} dangerouslySetInnerHTML={{ __html: html }} />;
});
