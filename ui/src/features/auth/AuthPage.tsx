/** Log in and register: one form, two modes. A new account goes to onboarding. */
import { useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { ApiError, messageOf } from "../../api/client";
import { useAuth } from "./AuthContext";

const USERNAME_RULE = "Letters, digits and _ . @ + - (no spaces), at least 3.";

/** Validation messages in words a user can act on (the service's pattern message shows a regex). */
function fieldMessage(field: string, message: string | undefined): string | undefined {
  if (field === "username" && message && /pattern/i.test(message)) return `Use only ${USERNAME_RULE.charAt(0).toLowerCase()}${USERNAME_RULE.slice(1)}`;
  return message;
}

export function AuthPage({ mode }: { mode: "login" | "register" }) {
  const auth = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const registering = mode === "register";
  const from = (location.state as { from?: string } | null)?.from ?? "/";

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (registering) {
        await auth.register(username.trim(), password);
        navigate("/welcome", { replace: true });
      } else {
        await auth.login(username.trim(), password);
        navigate(from, { replace: true });
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const fields = error instanceof ApiError ? error.fields : {};
  const usernameError = fieldMessage("username", fields.username);
  const hasFieldErrors = Boolean(fields.username || fields.password);
  const loginFailed = !registering && error instanceof ApiError && error.status === 401;
  return (
    <main className="auth-page">
      <form className="panel auth-form" onSubmit={submit} noValidate>
        <h1>{registering ? "Create your account" : "Welcome back"}</h1>
        <p className="muted">
          {registering
            ? "Rate a few things you love and we'll find what to watch next."
            : "Log in to see your feed, ratings and watchlist."}
        </p>
        {auth.expired && !registering && !error && (
          <p className="notice" role="status">Your session expired. Please log in again.</p>
        )}
        <label>
          Username
          <input name="username" autoComplete="username" required minLength={3} value={username}
            onChange={(e) => setUsername(e.target.value)} aria-invalid={Boolean(usernameError)}
            aria-describedby={registering ? "username-rule" : undefined} />
          {usernameError && <span className="field-error">{usernameError}</span>}
        </label>
        {registering && !usernameError && <span id="username-rule" className="hint below">{USERNAME_RULE}</span>}
        <label>
          Password
          <input name="password" type="password" autoComplete={registering ? "new-password" : "current-password"}
            required minLength={8} value={password} onChange={(e) => setPassword(e.target.value)}
            aria-invalid={Boolean(fields.password)} />
          {registering && <span className="hint">At least 8 characters.</span>}
          {fields.password && <span className="field-error">{fields.password}</span>}
        </label>
        {error !== null && !hasFieldErrors && (
          <p className="error-box" role="alert">
            {loginFailed ? "Wrong username or password." : messageOf(error)}
          </p>
        )}
        <button className="button primary" type="submit" disabled={busy || !username || !password}>
          {busy ? "Please wait…" : registering ? "Create account" : "Log in"}
        </button>
        <p className="muted small">
          {registering ? (
            <>Already have an account? <Link to="/login">Log in</Link></>
          ) : (
            <>New here? <Link to="/register">Create an account</Link></>
          )}
        </p>
      </form>
    </main>
  );
}
