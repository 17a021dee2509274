/**
 * Type, genre, years, runtime and rating filters; every list in the app takes the same Filters.
 * On a phone they fold behind a "Filters" button so the results start on the first screen.
 */
import { useId, useState } from "react";
import type { Filters } from "../api/types";
import { GENRES, TITLE_TYPES, typeLabel } from "./format";

interface Props {
  value: Filters;
  onChange: (filters: Filters) => void;
}

function numberOrUndefined(text: string): number | undefined {
  const value = Number(text);
  return text.trim() === "" || Number.isNaN(value) ? undefined : value;
}

export function FiltersBar({ value, onChange }: Props) {
  const id = useId();
  const set = (patch: Filters) => onChange(clean({ ...value, ...patch }));
  const count = Object.keys(clean(value)).length;
  const active = count > 0;
  const [open, setOpen] = useState(false);
  return (
    <fieldset className={open ? "filters open" : "filters"}>
      <legend className="visually-hidden">Filters</legend>
      <button type="button" className="button small filters-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? "Hide filters" : active ? `Filters (${count})` : "Filters"}
      </button>
      <label htmlFor={`${id}-type`}>
        Type
        <select id={`${id}-type`} value={value.type ?? ""} onChange={(e) => set({ type: e.target.value || undefined })}>
          <option value="">Any</option>
          {TITLE_TYPES.map((type) => (
            <option key={type} value={type}>
              {typeLabel(type)}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor={`${id}-genre`}>
        Genre
        <select id={`${id}-genre`} value={value.genre ?? ""} onChange={(e) => set({ genre: e.target.value || undefined })}>
          <option value="">Any</option>
          {GENRES.map((genre) => (
            <option key={genre} value={genre}>
              {genre}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor={`${id}-from`}>
        From year
        <input id={`${id}-from`} type="number" inputMode="numeric" min={1880} max={2100} placeholder="1990"
          value={value.year_from ?? ""} onChange={(e) => set({ year_from: numberOrUndefined(e.target.value) })} />
      </label>
      <label htmlFor={`${id}-to`}>
        To year
        <input id={`${id}-to`} type="number" inputMode="numeric" min={1880} max={2100} placeholder="2025"
          value={value.year_to ?? ""} onChange={(e) => set({ year_to: numberOrUndefined(e.target.value) })} />
      </label>
      <label htmlFor={`${id}-runtime`}>
        Max minutes
        <input id={`${id}-runtime`} type="number" inputMode="numeric" min={1} step={10} placeholder="120"
          value={value.max_runtime ?? ""} onChange={(e) => set({ max_runtime: numberOrUndefined(e.target.value) })} />
      </label>
      <label htmlFor={`${id}-rating`}>
        Min rating
        <select id={`${id}-rating`} value={value.min_rating ?? ""} onChange={(e) => set({ min_rating: numberOrUndefined(e.target.value) })}>
          <option value="">Any</option>
          {[5, 6, 7, 7.5, 8, 8.5].map((r) => (
            <option key={r} value={r}>
              {r}+
            </option>
          ))}
        </select>
      </label>
      {active && (
        <button type="button" className="button small ghost" onClick={() => onChange({})}>
          Clear filters
        </button>
      )}
    </fieldset>
  );
}

export function clean(filters: Filters): Filters {
  return Object.fromEntries(
    Object.entries(filters).filter(([, v]) => v !== undefined && v !== null && v !== ""),
  ) as Filters;
}

const NUMERIC: Array<keyof Filters> = ["year_from", "year_to", "max_runtime", "min_rating", "min_votes"];

/** Filters kept in the URL so a search or feed view can be shared and survives reload. */
export function filtersFromParams(params: URLSearchParams): Filters {
  const filters: Filters = {};
  if (params.get("type")) filters.type = params.get("type")!;
  if (params.get("genre")) filters.genre = params.get("genre")!;
  for (const key of NUMERIC) {
    const n = numberOrUndefined(params.get(key) ?? "");
    if (n !== undefined) (filters as Record<string, number>)[key] = n;
  }
  return filters;
}
