/** A title as a card: colour from its genres, the facts a user scans for, the reasons it was picked. */
import { Link } from "react-router";
import type { Title } from "../api/types";
import { genreGradient } from "./genreColor";
import { runtimeLabel, typeLabel } from "./format";
import { Icon } from "./Icon";
import { CardActions } from "./CardActions";

interface Props {
  title: Title;
  actions?: boolean;
  showReasons?: boolean;
}

export function TitleCard({ title, actions = false, showReasons = true }: Props) {
  const facts = [title.year, runtimeLabel(title.runtime_minutes)].filter(Boolean);
  const people = title.directors?.length ? `Dir. ${title.directors.slice(0, 2).join(", ")}` : null;
  const reasons = showReasons ? (title.reasons ?? []).slice(0, 2) : [];
  return (
    <article className="card" style={{ background: genreGradient(title.genres) }} aria-label={title.title}>
      <div className="card-top">
        {title.rating ? (
          <span className="card-rating" aria-label={`IMDb rating ${title.rating.toFixed(1)}`}>
            <Icon name="star" size={13} /> {title.rating.toFixed(1)}
          </span>
        ) : null}
        <span className="card-type">{typeLabel(title.type)}</span>
      </div>
      <h3 className="card-title">
        <Link to={`/title/${title.tconst}`} data-card-link className="stretched">
          {title.title}
        </Link>
      </h3>
      <p className="card-facts">{facts.join(" · ")}</p>
      {title.genres.length > 0 && <p className="card-genres">{title.genres.join(" · ")}</p>}
      {people && <p className="card-people">{people}</p>}
      {reasons.length > 0 && (
        <ul className="card-reasons" aria-label="Why this is here">
          {reasons.map((reason) => (
            <li key={reason.text}>{reason.text}</li>
          ))}
        </ul>
      )}
      {actions && <CardActions title={title} />}
    </article>
  );
}
