/** The home page for a visitor: what the app does and how to start. */
import { Link } from "react-router";

export function Landing() {
  return (
    <main className="page landing">
      <h1>Find something worth watching tonight.</h1>
      <p className="lead">
        Search the way you think — “something like Alien but funny”, “by Christopher Nolan”, “90s comedies under 100
        minutes” — or create an account for a feed that learns from every rating.
      </p>
      <div className="landing-actions">
        <Link className="button primary" to="/register">Create an account</Link>
        <Link className="button" to="/login">Log in</Link>
      </div>
    </main>
  );
}
