/** Pick titles you love: search, or choose from popular picks. */
import { useState } from "react";
import { useSearch } from "../../api/queries";
import type { Title } from "../../api/types";
import { genreGradient } from "../../components/genreColor";
import { useDebounced } from "../search/useDebounced";

interface Props {
  picked: Title[];
  onToggle: (title: Title) => void;
  popular: Title[];
}

export function TitlePicker({ picked, onToggle, popular }: Props) {
  const [text, setText] = useState("");
  const query = useDebounced(text, 250);
  const results = useSearch(query, {}, 12);
  const options = query.trim() ? (results.data?.items ?? []) : popular;
  const pickedIds = new Set(picked.map((t) => t.tconst));
  return (
    <div>
      <label className="block-label">
        Find a title
        <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. The Matrix, Amélie, Breaking Bad" />
      </label>
      {!query.trim() && popular.length > 0 && <p className="muted small">Popular picks:</p>}
      {query.trim() && results.isFetching && <p className="muted small">Searching…</p>}
      <div className="pick-grid" role="group" aria-label="Titles">
        {options.map((title) => (
          <button
            key={title.tconst}
            type="button"
            className={pickedIds.has(title.tconst) ? "pick on" : "pick"}
            style={{ background: genreGradient(title.genres) }}
            aria-pressed={pickedIds.has(title.tconst)}
            onClick={() => onToggle(title)}
          >
            <span className="pick-title">{title.title}</span>
            <span className="pick-meta">{[title.year, title.genres.slice(0, 2).join(", ")].filter(Boolean).join(" · ")}</span>
          </button>
        ))}
      </div>
    </div>
  );
}
