import { useEffect, useRef, useState } from "react";
import { TextRevealer, type RevealMode } from "../lib/text-revealer";

/** The part of `text` to show now, revealed progressively as described in reveal-timing.ts. */
export function useRevealedText(text: string, mode: RevealMode): string {
  const [visible, setVisible] = useState(() => (mode === "stream" ? "" : text));
  const revealerRef = useRef<TextRevealer | null>(null);
  const latest = useRef({ text, mode });
  latest.current = { text, mode };

  useEffect(() => {
    const revealer = new TextRevealer(setVisible, latest.current);
    revealerRef.current = revealer;
    setVisible(revealer.visibleText);
    return () => {
      revealer.dispose();
      revealerRef.current = null;
    };
  }, []);

  useEffect(() => {
    revealerRef.current?.update(text, mode);
  }, [text, mode]);

  return visible;
}
