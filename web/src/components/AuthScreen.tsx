import { useEffect, useId, useState, type FormEvent } from "react";
import { ApiError } from "../api/api-error";
import { useRegister, useSignIn } from "../hooks/useSession";
import { forgetSessionEnded, sessionEnded as endedWhileInUse } from "../lib/draft";

/** Sign in, or create an account with the same two fields. */
export function AuthScreen() {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  const [sessionEnded] = useState(endedWhileInUse);
  useEffect(forgetSessionEnded, []); // said once
  const signIn = useSignIn();
  const register = useRegister();
  const usernameId = useId();
  const passwordId = useId();
  const errorId = useId();

  const busy = signIn.isPending || register.isPending;
  const apiError = signIn.error ?? register.error;
  const errorMessage =
    localError ?? (apiError ? (apiError instanceof ApiError ? apiError.message : "Something went wrong. Please try again.") : null);

  const submit = (action: "sign-in" | "register") => {
    if (busy) return;
    if (username.trim() === "" || password === "") {
      setLocalError("Enter a username and a password.");
      return;
    }
    setLocalError(null);
    signIn.reset();
    register.reset();
    const credentials = { username: username.trim(), password };
    if (action === "sign-in") signIn.mutate(credentials);
    else register.mutate(credentials);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit("sign-in");
  };

  return (
    <main className="auth">
      <form className="auth__card" onSubmit={onSubmit} aria-labelledby="auth-title" noValidate>
        <h1 id="auth-title" className="auth__title">
          chatd
        </h1>
        <p className="auth__subtitle">Sign in to your conversations, or create an account.</p>
        {sessionEnded ? (
          <p className="auth__notice" role="status" data-testid="session-ended">
            Your session has ended. Sign in again to go on.
          </p>
        ) : null}

        <label className="field__label" htmlFor={usernameId}>
          Username
        </label>
        <input
          id={usernameId}
          className="field__input"
          data-testid="login-username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={username}
          onChange={(event) => setUsername(event.target.value)}
          aria-describedby={errorMessage ? errorId : undefined}
          aria-invalid={errorMessage ? true : undefined}
        />

        <label className="field__label" htmlFor={passwordId}>
          Password
        </label>
        <input
          id={passwordId}
          className="field__input"
          data-testid="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-describedby={errorMessage ? errorId : undefined}
          aria-invalid={errorMessage ? true : undefined}
        />
        <p className="field__hint">Usernames: 3–64 letters, digits, “_”, “.” or “-”. Passwords: at least 8 characters.</p>

        {errorMessage ? (
          <p id={errorId} className="auth__error" role="alert" data-testid="auth-error">
            {errorMessage}
          </p>
        ) : null}

        <div className="auth__actions">
          <button type="submit" className="button button--primary" data-testid="login-submit" disabled={busy}>
            {signIn.isPending ? "Signing in…" : "Sign in"}
          </button>
          <button type="button" className="button" data-testid="register-submit" disabled={busy} onClick={() => submit("register")}>
            {register.isPending ? "Creating account…" : "Create account"}
          </button>
        </div>
      </form>
    </main>
  );
}
