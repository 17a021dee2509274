/** What the system thinks you like, and the knobs to change it: mute a title's influence, boost a genre. */
import { Link } from "react-router";
import { EMPTY_PREFERENCES } from "../../api/defaults";
import { useMyFeedback, usePreferences, useRate, useRatings, useSavePreferences, useTaste } from "../../api/queries";
import type { Preferences } from "../../api/types";
import { GENRES } from "../../components/format";
import { genreAccent } from "../../components/genreColor";
import { CardSkeletons, EmptyState, ErrorMessage } from "../../components/Status";

const BOOST_STEP = 0.5;

export function ProfilePage() {
  const taste = useTaste();
  const preferences = usePreferences();
  const save = useSavePreferences();
  const ratings = useRatings();
  const feedback = useMyFeedback();
  const watchlist = feedback.data?.items.filter((f) => f.kind === "watchlist") ?? [];
  const rate = useRate();
  const prefs = preferences.data ?? EMPTY_PREFERENCES;

  const update = (patch: Partial<Preferences>) => save.mutate({ ...prefs, ...patch });
  const boost = (genre: string, delta: number) => {
    const next = { ...prefs.boosted_genres, [genre]: Math.max(-1, Math.min(2, (prefs.boosted_genres[genre] ?? 0) + delta)) };
    if (next[genre] === 0) delete next[genre];
    update({ boosted_genres: next });
  };
  const maxWeight = Math.max(1e-9, ...(taste.data?.genres.map((g) => Math.abs(g.weight)) ?? [1]));

  return (
    <main className="page profile">
      <h1>Your taste profile</h1>
      <p className="muted">This is what your feed is built from. Change anything here and the feed follows.</p>
      {save.isError && <ErrorMessage error={save.error} />}
      {taste.isPending ? (
        <CardSkeletons count={3} />
      ) : taste.isError ? (
        <ErrorMessage error={taste.error} onRetry={() => void taste.refetch()} />
      ) : (
        <div className="profile-grid">
          <section className="panel" aria-labelledby="genres-heading">
            <h2 id="genres-heading">Top genres</h2>
            {taste.data.genres.length === 0 ? (
              <p className="muted">No genres yet — rate a few titles.</p>
            ) : (
              <ul className="bars">
                {taste.data.genres.slice(0, 10).map((g) => (
                  <li key={g.name}>
                    <span className="bar-label">{g.name}</span>
                    <span className="bar" aria-hidden="true">
                      <span style={{ width: `${(Math.abs(g.weight) / maxWeight) * 100}%`, background: genreAccent([g.name]) }} />
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="panel" aria-labelledby="people-heading">
            <h2 id="people-heading">People</h2>
            {taste.data.people.length === 0 ? (
              <p className="muted">No favourite directors or actors yet.</p>
            ) : (
              <ul className="plain-list">
                {taste.data.people.slice(0, 10).map((p) => <li key={p.name}>{p.name}</li>)}
              </ul>
            )}
          </section>
          <section className="panel wide" aria-labelledby="anchors-heading">
            <h2 id="anchors-heading">Titles shaping your feed</h2>
            {taste.data.anchors.length === 0 ? (
              <EmptyState title="Nothing yet">
                <Link to="/">Rate or like a few titles</Link> or <Link to="/import">import your ratings</Link>.
              </EmptyState>
            ) : (
              <ul className="anchor-list">
                {taste.data.anchors.map((t) => {
                  const muted = prefs.muted_titles.includes(t.tconst);
                  return (
                    <li key={t.tconst} className={muted ? "muted-row" : undefined}>
                      <Link to={`/title/${t.tconst}`}>{t.title}</Link>
                      <span className="muted small">{t.year}</span>
                      <button type="button" className="button small" disabled={save.isPending}
                        onClick={() => update({ muted_titles: muted ? prefs.muted_titles.filter((m) => m !== t.tconst) : [...prefs.muted_titles, t.tconst] })}>
                        {muted ? "Restore influence" : "Remove influence"}
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
          {taste.data.disliked.length > 0 && (
            <section className="panel wide" aria-labelledby="disliked-heading">
              <h2 id="disliked-heading">Titles steering your feed away</h2>
              <p className="muted small">You disliked these or rated them low, so we show less like them. Change that on the title's page.</p>
              <ul className="anchor-list">
                {taste.data.disliked.map((t) => (
                  <li key={t.tconst}>
                    <Link to={`/title/${t.tconst}`}>{t.title}</Link>
                    <span className="muted small">{t.year}</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
      )}

      <section className="panel" aria-labelledby="boost-heading">
        <h2 id="boost-heading">Boost or tone down a genre</h2>
        <ul className="boost-list">
          {GENRES.map((genre) => {
            const value = prefs.boosted_genres[genre] ?? 0;
            return (
              <li key={genre}>
                <span>{genre}</span>
                <span className="boost-value" aria-label={`${genre} boost`}>{value > 0 ? `+${value}` : value}</span>
                <button type="button" className="button small" aria-label={`Less ${genre}`} disabled={save.isPending || value <= -1} onClick={() => boost(genre, -BOOST_STEP)}>−</button>
                <button type="button" className="button small" aria-label={`Boost ${genre}`} disabled={save.isPending || value >= 2} onClick={() => boost(genre, BOOST_STEP)}>+</button>
              </li>
            );
          })}
        </ul>
      </section>

      <section className="panel" aria-labelledby="watchlist-heading">
        <h2 id="watchlist-heading">Your watchlist {feedback.data && <span className="muted">({watchlist.length})</span>}</h2>
        {watchlist.length === 0 ? (
          <p className="muted">Nothing saved yet — use “Watchlist” on any title.</p>
        ) : (
          <ul className="anchor-list">
            {watchlist.map((w) => (
              <li key={w.tconst}>
                <Link to={`/title/${w.tconst}`}>{w.title}</Link>
                <span className="muted small">{w.year}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="panel" aria-labelledby="ratings-heading">
        <h2 id="ratings-heading">Your ratings {ratings.data && <span className="muted">({ratings.data.items.length})</span>}</h2>
        {ratings.isPending ? (
          <p className="muted">Loading…</p>
        ) : ratings.isError ? (
          <ErrorMessage error={ratings.error} />
        ) : ratings.data.items.length === 0 ? (
          <p className="muted">You haven't rated anything yet.</p>
        ) : (
          <ul className="anchor-list">
            {ratings.data.items.slice(0, 50).map((r) => (
              <li key={r.tconst}>
                <Link to={`/title/${r.tconst}`}>{r.title ?? r.tconst}</Link>
                <span className="rating-badge">{r.rating}/10</span>
                <button type="button" className="button small ghost" onClick={() => rate.mutate({ tconst: r.tconst, rating: null })}>Remove</button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}
