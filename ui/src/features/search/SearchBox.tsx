/** The always-visible search: a combobox with live suggestions, arrow keys, Enter and Escape; "/" focuses it. */
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useLocation, useNavigate, useSearchParams } from "react-router";
import { useSearch } from "../../api/queries";
import { Icon } from "../../components/Icon";
import { typeLabel } from "../../components/format";
import { genreAccent } from "../../components/genreColor";
import { useDebounced } from "./useDebounced";

const SUGGESTIONS = 6;

export function SearchBox() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { pathname } = useLocation();
  const shownQuery = pathname === "/search" ? (params.get("q") ?? "") : "";
  const [text, setText] = useState(shownQuery);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const query = useDebounced(text, 250);
  const results = useSearch(open ? query : "", {}, SUGGESTIONS);
  const items = results.data?.items ?? [];

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.key === "/" && !["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) {
        event.preventDefault();
        input.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  useEffect(() => setActive(-1), [query]);
  // The box shows the query of the results page, and starts empty on every other page.
  useEffect(() => setText(shownQuery), [shownQuery]);

  const openTitle = (tconst: string) => {
    setOpen(false);
    navigate(`/title/${tconst}`);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (active >= 0 && items[active]) return openTitle(items[active].tconst);
    if (!text.trim()) return;
    setOpen(false);
    navigate(`/search?q=${encodeURIComponent(text.trim())}`);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(i + 1, items.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, -1));
    } else if (event.key === "Escape") {
      setOpen(false);
      setActive(-1);
    }
  };

  const showList = open && text.trim().length > 0 && (items.length > 0 || results.isFetching);
  return (
    <form className="search-box" role="search" onSubmit={submit}>
      <label htmlFor="global-search" className="visually-hidden">
        Search titles
      </label>
      <Icon name="search" size={18} />
      <input
        id="global-search"
        ref={input}
        type="search"
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
        placeholder='Search, or try "like Alien but funny"'
        autoComplete="off"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="button small primary search-submit">
        Search
      </button>
      {showList && (
        <ul className="suggestions" id={listId} role="listbox" aria-label="Suggestions">
          {results.isFetching && items.length === 0 && <li className="muted suggestion">Searching…</li>}
          {items.map((item, index) => (
            <li
              key={item.tconst}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              className={index === active ? "suggestion active" : "suggestion"}
              onMouseDown={(e) => {
                e.preventDefault();
                openTitle(item.tconst);
              }}
              onMouseEnter={() => setActive(index)}
            >
              <span className="swatch" style={{ background: genreAccent(item.genres) }} aria-hidden="true" />
              <span className="suggestion-title">{item.title}</span>
              <span className="muted small">
                {[item.year, typeLabel(item.type)].filter(Boolean).join(" · ")}
              </span>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
