import { useCallback, useEffect, useState } from "react";

// The open conversation lives in the URL (/c/<id>), so that a reload, in particular one
// in the middle of an answer, comes back to the same conversation. "/" is a new chat.

const CONVERSATION_PATH = /^\/c\/([^/]+)\/?$/;

export function conversationIdFromPath(pathname: string): string | null {
  const match = CONVERSATION_PATH.exec(pathname);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

export function pathForConversation(id: string | null): string {
  return id === null ? "/" : `/c/${encodeURIComponent(id)}`;
}

export function useConversationRoute() {
  const [selectedId, setSelectedId] = useState<string | null>(() => conversationIdFromPath(window.location.pathname));

  useEffect(() => {
    const onPopState = () => setSelectedId(conversationIdFromPath(window.location.pathname));
    window.addEventListener("popstate", onPopState);
    return () => window.removeEventListener("popstate", onPopState);
  }, []);

  /** `replace` for moves the person did not ask for (a new chat getting its id). */
  const selectConversation = useCallback((id: string | null, options: { replace?: boolean } = {}) => {
    const path = pathForConversation(id);
    if (window.location.pathname !== path) {
      if (options.replace) window.history.replaceState(null, "", path);
      else window.history.pushState(null, "", path);
    }
    setSelectedId(id);
  }, []);

  return { selectedId, selectConversation };
}
