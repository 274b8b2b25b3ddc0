import { useEffect, useRef } from "react";
import type { DisplayItem } from "../lib/message-view";
import { AssistantMessage } from "./AssistantMessage";
import { UserMessage } from "./UserMessage";

/** Pixels from the bottom within which the list keeps following new text. */
const STICK_THRESHOLD_PX = 80;

/**
 * The messages, scrolled to follow the answer as it grows, unless the person has
 * scrolled up to read something earlier.
 */
export function MessageList({ items }: { items: DisplayItem[] }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const stuckToBottomRef = useRef(true);

  const onScroll = () => {
    const element = scrollRef.current;
    if (!element) return;
    stuckToBottomRef.current = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_THRESHOLD_PX;
  };

  // The answer grows inside its own component, so watch the content's size, not renders.
  useEffect(() => {
    const scroller = scrollRef.current;
    const content = contentRef.current;
    if (!scroller || !content) return;
    const followIfStuck = () => {
      if (stuckToBottomRef.current) scroller.scrollTop = scroller.scrollHeight;
    };
    followIfStuck();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(followIfStuck);
    observer.observe(content);
    return () => observer.disconnect();
  }, []);

  // A message the person just sent always brings the view down to it.
  const lastItem = items[items.length - 1];
  const sentJustNow = items.some((item) => item.kind === "user" && item.pending);
  useEffect(() => {
    if (!sentJustNow) return;
    stuckToBottomRef.current = true;
    const scroller = scrollRef.current;
    if (scroller) scroller.scrollTop = scroller.scrollHeight;
  }, [sentJustNow, lastItem?.key]);

  return (
    <div ref={scrollRef} className="message-list" onScroll={onScroll} role="region" aria-label="Messages" tabIndex={0}>
      <div ref={contentRef} className="message-list__content">
        {items.map((item) =>
          item.kind === "user" ? (
            <UserMessage key={item.key} text={item.text} pending={item.pending} />
          ) : (
            <AssistantMessage key={item.key} text={item.text} status={item.status} live={item.live} />
          ),
        )}
      </div>
    </div>
  );
}
