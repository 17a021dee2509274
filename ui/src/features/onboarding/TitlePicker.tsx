/** Pick titles you love: search, or choose from suggestions based on the genres and people just picked. */
import { useState } from "react";
import { useSearch } from "../../api/queries";
import type { Title } from "../../api/types";
import { genreGradient } from "../../components/genreColor";
import { useDebounced } from "../search/useDebounced";

interface Props {
  picked: Title[];
  onToggle: (title: Title) => void;
  suggestions: Title[];
  suggestionsLabel: string;
}

export function TitlePicker({ picked, onToggle, suggestions, suggestionsLabel }: Props) {
  const [text, setText] = useState("");
  const query = useDebounced(text, 250);
  const results = useSearch(query, {}, 12);
  const options = query.trim() ? (results.data?.items ?? []) : suggestions;
  const pickedIds = new Set(picked.map((t) => t.tconst));
  return (
    <div>
      <label className="block-label">
        Find a title
        <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. The Matrix, Amélie, Breaking Bad" />
      </label>
      {!query.trim() && suggestions.length > 0 && <p className="muted small">{suggestionsLabel}</p>}
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
            <span className="pick-meta">{[title.year, title.genres.join(", ")].filter(Boolean).join(" · ")}</span>
          </button>
        ))}
      </div>
    </div>
  );
}
