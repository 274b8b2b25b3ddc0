import { useCallback, useEffect, useRef, useState } from "react";
import type { User } from "../api/types";
import { useChatTurn } from "../hooks/useChatTurn";
import { useConversationDetail } from "../hooks/useConversations";
import { useConversationRoute } from "../hooks/useConversationRoute";
import { useSignOut } from "../hooks/useSession";
import type { LiveTurn } from "../lib/live-turn";
import { answerToFollow } from "../lib/message-view";
import { ChatPane } from "./ChatPane";
import { Sidebar } from "./Sidebar";

const SIDEBAR_ID = "conversation-sidebar";

/** The signed-in app, laid out like the original AIAssistantUI: sidebar and chat pane. */
export function ChatLayout({ user }: { user: User }) {
  const { selectedId, selectConversation } = useConversationRoute();
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const selectedIdRef = useRef(selectedId);
  selectedIdRef.current = selectedId;

  // When the server names the conversation of a turn started from a new chat, open it,
  // unless the person has gone to another conversation meanwhile.
  const onConversationKnown = useCallback(
    (conversationId: string, turn: LiveTurn) => {
      if (turn.conversationId === null && selectedIdRef.current === null) {
        selectConversation(conversationId, { replace: true });
      }
    },
    [selectConversation],
  );
  const chat = useChatTurn(onConversationKnown);
  const detail = useConversationDetail(selectedId);
  const signOut = useSignOut();

  // Opening a conversation whose last answer is still being written (a reload in the
  // middle of it, or another tab) follows that answer's stream from the start.
  const { turn, active, attach } = chat;
  useEffect(() => {
    if (selectedId === null || !detail.data || detail.data.conversation.id !== selectedId) return;
    const answer = answerToFollow(detail.data.messages);
    if (answer === null || active) return;
    // The turn already showing this answer is followed again only if it lost the server and
    // a fetch has succeeded since: the answer is still being written, the network is back.
    const lostAt = turn?.assistantMessageId === answer.id ? turn.connectionLostAt : undefined;
    if (lostAt === null || (lostAt !== undefined && detail.dataUpdatedAt <= lostAt)) return;
    attach(selectedId, answer.id);
  }, [selectedId, detail.data, detail.dataUpdatedAt, active, turn?.assistantMessageId, turn?.connectionLostAt, attach]);

  const menuButtonRef = useRef<HTMLButtonElement>(null);
  // Closing the sidebar (Escape, close button, backdrop) gives the focus back to its toggle.
  const closeSidebar = useCallback(() => {
    setSidebarOpen(false);
    menuButtonRef.current?.focus();
  }, []);

  const openConversation = useCallback(
    (id: string | null) => {
      selectConversation(id);
      setSidebarOpen(false);
    },
    [selectConversation],
  );

  const onDeleted = useCallback(
    (id: string) => {
      if (chat.turn?.conversationId === id) chat.abandon();
      if (selectedIdRef.current === id) selectConversation(null, { replace: true });
    },
    [chat, selectConversation],
  );

  const onSignOut = useCallback(() => {
    chat.abandon();
    // Before the request: this component is gone once the session is, and the next
    // person to sign in should start on a new chat, not on this one's conversation.
    selectConversation(null, { replace: true });
    signOut.mutate();
  }, [chat, signOut, selectConversation]);

  return (
    <div className={`app-shell${sidebarOpen ? " app-shell--sidebar-open" : ""}`}>
      <Sidebar
        id={SIDEBAR_ID}
        user={user}
        open={sidebarOpen}
        selectedId={selectedId}
        onSelect={openConversation}
        onDeleted={onDeleted}
        onSignOut={onSignOut}
        signingOut={signOut.isPending}
        onClose={closeSidebar}
      />
      {sidebarOpen ? <div className="sidebar-backdrop" onClick={closeSidebar} aria-hidden="true" /> : null}
      <ChatPane
        conversationId={selectedId}
        detail={detail}
        chat={chat}
        sidebarId={SIDEBAR_ID}
        menuButtonRef={menuButtonRef}
        sidebarOpen={sidebarOpen}
        onToggleSidebar={() => setSidebarOpen((open) => !open)}
        onNewChat={() => openConversation(null)}
      />
    </div>
  );
}
