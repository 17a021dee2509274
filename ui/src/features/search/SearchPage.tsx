/** Full search results for ?q=, with filters kept in the URL. */
import { useSearchParams } from "react-router";
import { useSearch } from "../../api/queries";
import type { Filters } from "../../api/types";
import { CardGrid } from "../../components/CardGrid";
import { FiltersBar, filtersFromParams } from "../../components/FiltersBar";
import { CardSkeletons, EmptyState, ErrorMessage } from "../../components/Status";
import { useAuth } from "../auth/AuthContext";

export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const filters = filtersFromParams(params);
  const results = useSearch(q, filters, 24);
  const { username } = useAuth();

  const setFilters = (next: Filters) => {
    const updated = new URLSearchParams({ q });
    Object.entries(next).forEach(([key, value]) => updated.set(key, String(value)));
    setParams(updated, { replace: true });
  };

  return (
    <main className="page">
      <h1>{q ? <>Results for “{q}”</> : "Search"}</h1>
      <FiltersBar value={filters} onChange={setFilters} />
      {!q.trim() ? (
        <EmptyState title="What are you in the mood for?">
          Try a title (“godfather part 2”), a vibe (“something like Alien but funny”), a person (“by Christopher
          Nolan”) or a constraint (“90s comedies under 100 minutes”).
        </EmptyState>
      ) : results.isPending ? (
        <CardSkeletons />
      ) : results.isError ? (
        <ErrorMessage error={results.error} onRetry={() => void results.refetch()} />
      ) : results.data.items.length === 0 ? (
        <EmptyState title="Nothing matched">Try fewer words, another spelling, or clear the filters.</EmptyState>
      ) : (
        <CardGrid titles={results.data.items} label={`Results for ${q}`} actions={Boolean(username)} />
      )}
    </main>
  );
}
