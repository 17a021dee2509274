/** One title: details, people, your actions and "More like this". */
import { useParams } from "react-router";
import { useSimilar, useTitle } from "../../api/queries";
import { ApiError } from "../../api/client";
import { CardGrid } from "../../components/CardGrid";
import { CardSkeletons, EmptyState, ErrorMessage } from "../../components/Status";
import { genreGradient } from "../../components/genreColor";
import { runtimeLabel, typeLabel, votesLabel, yearLabel } from "../../components/format";
import { Icon } from "../../components/Icon";
import { useAuth } from "../auth/AuthContext";
import { TitleActions } from "./TitleActions";

export function TitlePage() {
  const { tconst = "" } = useParams();
  const title = useTitle(tconst);
  const similar = useSimilar(tconst);
  const { username } = useAuth();

  if (title.isPending) {
    return (
      <main className="page">
        <div className="title-hero skeleton" aria-busy="true" aria-label="Loading title" />
      </main>
    );
  }
  if (title.isError) {
    const missing = title.error instanceof ApiError && title.error.status === 404;
    return (
      <main className="page">
        {missing ? (
          <EmptyState title="We don't know that title">It may not be in the catalog yet. Try searching for it.</EmptyState>
        ) : (
          <ErrorMessage error={title.error} onRetry={() => void title.refetch()} />
        )}
      </main>
    );
  }

  const t = title.data;
  const facts = [yearLabel(t.year, t.end_year), typeLabel(t.type), runtimeLabel(t.runtime_minutes)].filter(Boolean);
  return (
    <main className="page">
      <header className="title-hero" style={{ background: genreGradient(t.genres) }}>
        <p className="eyebrow">{facts.join(" · ")}</p>
        <h1>{t.title}</h1>
        {t.original_title && t.original_title !== t.title && <p className="muted-light">Original title: {t.original_title}</p>}
        <p className="hero-meta">
          {t.rating ? (
            <span className="card-rating">
              <Icon name="star" size={14} /> {t.rating.toFixed(1)}
              <span className="votes">{votesLabel(t.votes)}</span>
            </span>
          ) : null}
          {t.genres.map((genre) => (
            <span key={genre} className="chip on-dark">{genre}</span>
          ))}
        </p>
        {t.overview && <p className="overview">{t.overview}</p>}
      </header>

      <div className="title-body">
        <TitleActions tconst={t.tconst} loggedIn={Boolean(username)} />
        <dl className="people">
          {t.directors && t.directors.length > 0 && (
            <><dt>Directed by</dt><dd>{t.directors.join(", ")}</dd></>
          )}
          {t.writers && t.writers.length > 0 && (
            <><dt>Written by</dt><dd>{t.writers.slice(0, 4).join(", ")}</dd></>
          )}
          {t.cast && t.cast.length > 0 && (
            <><dt>Starring</dt><dd>{t.cast.slice(0, 8).join(", ")}</dd></>
          )}
          {t.seasons ? (
            <><dt>Seasons</dt><dd>{t.seasons}{t.episodes ? ` (${t.episodes} episodes)` : ""}</dd></>
          ) : null}
          <dt>IMDb</dt>
          <dd>
            <a href={`https://www.imdb.com/title/${t.tconst}/`} target="_blank" rel="noreferrer">
              {t.tconst} <span aria-hidden="true">↗</span>
            </a>
          </dd>
        </dl>
      </div>

      <section aria-labelledby="similar-heading">
        <h2 id="similar-heading">More like this</h2>
        {similar.isPending ? (
          <CardSkeletons count={4} />
        ) : similar.isError ? (
          <ErrorMessage error={similar.error} onRetry={() => void similar.refetch()} />
        ) : similar.data.items.length === 0 ? (
          <EmptyState title="No similar titles found" />
        ) : (
          <CardGrid titles={similar.data.items} label={`More like ${t.title}`} actions={Boolean(username)} />
        )}
      </section>
    </main>
  );
}
