import { ApiError } from "../api/api-error";
import { useSessionUser } from "../hooks/useSession";
import { AuthScreen } from "./AuthScreen";
import { ChatLayout } from "./ChatLayout";

/** Shows the sign-in screen or the chat, depending on the cookie session. */
export function App() {
  const session = useSessionUser();

  if (session.isPending) {
    return (
      <div className="splash" role="status">
        Loading…
      </div>
    );
  }
  if (session.isError) {
    const message = session.error instanceof ApiError ? session.error.message : "The server could not be reached.";
    return (
      <div className="splash" role="alert">
        <p>{message}</p>
        <button type="button" className="button" onClick={() => void session.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  if (session.data === null || session.data === undefined) return <AuthScreen />;
  // Keyed by the person: when another tab signs in as someone else, nothing of this one's chat
  // (the open conversation, a streaming answer, a draft) survives.
  return <ChatLayout key={session.data.id} user={session.data} />;
}
