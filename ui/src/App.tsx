/** Routes and the app shell: header with the always-visible search, nav and account. */
import { useEffect, type ReactNode } from "react";
import { Link, Navigate, NavLink, Route, Routes, useLocation } from "react-router";
import { AuthPage } from "./features/auth/AuthPage";
import { useAuth } from "./features/auth/AuthContext";
import { FeedPage } from "./features/feed/FeedPage";
import { Landing } from "./features/feed/Landing";
import { ImportPage } from "./features/import/ImportPage";
import { OnboardingPage } from "./features/onboarding/OnboardingPage";
import { ProfilePage } from "./features/profile/ProfilePage";
import { SearchBox } from "./features/search/SearchBox";
import { SearchPage } from "./features/search/SearchPage";
import { TitlePage } from "./features/title/TitlePage";
import { TonightPage } from "./features/tonight/TonightPage";
import { EmptyState } from "./components/Status";

function RequireAuth({ children }: { children: ReactNode }) {
  const { username } = useAuth();
  const location = useLocation();
  if (!username) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

/** A new page starts at its top (the router keeps the old scroll position otherwise). */
function ScrollToTop() {
  const { pathname } = useLocation();
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [pathname]);
  return null;
}

function Header() {
  const { username, logout } = useAuth();
  return (
    <header className="app-header">
      <a href="#content" className="skip-link">Skip to content</a>
      <Link to="/" className="logo" aria-label="What To Watch, home">
        <span className="logo-mark" aria-hidden="true">▶</span> <span className="logo-text">What To Watch</span>
      </Link>
      <SearchBox />
      <nav aria-label="Main" className="main-nav">
        {username ? (
          <>
            <NavLink to="/" end>Feed</NavLink>
            <NavLink to="/profile">Taste</NavLink>
            <NavLink to="/import">Import</NavLink>
            <NavLink to="/tonight">Tonight</NavLink>
            <span className="user" title={`Logged in as ${username}`}>{username}</span>
            <button type="button" className="button small ghost" onClick={logout}>Log out</button>
          </>
        ) : (
          <>
            <NavLink to="/login">Log in</NavLink>
            <NavLink to="/register" className="button small primary">Sign up</NavLink>
          </>
        )}
      </nav>
    </header>
  );
}

export function App() {
  const { username } = useAuth();
  return (
    <>
      <ScrollToTop />
      <Header />
      <div id="content">
        <Routes>
          <Route path="/" element={username ? <FeedPage /> : <Landing />} />
          <Route path="/login" element={<AuthPage mode="login" />} />
          <Route path="/register" element={<AuthPage mode="register" />} />
          <Route path="/search" element={<SearchPage />} />
          <Route path="/title/:tconst" element={<TitlePage />} />
          <Route path="/welcome" element={<RequireAuth><OnboardingPage /></RequireAuth>} />
          <Route path="/profile" element={<RequireAuth><ProfilePage /></RequireAuth>} />
          <Route path="/import" element={<RequireAuth><ImportPage /></RequireAuth>} />
          <Route path="/tonight" element={<RequireAuth><TonightPage /></RequireAuth>} />
          <Route path="*" element={<main className="page"><EmptyState title="Page not found"><Link to="/">Go home</Link></EmptyState></main>} />
        </Routes>
      </div>
    </>
  );
}
