/** The personal feed: grouped rows, then every recommendation with its reasons, filters and infinite scroll. */
import { useCallback } from "react";
import { Link, useSearchParams } from "react-router";
import { useFeed } from "../../api/queries";
import type { Filters } from "../../api/types";
import { CardGrid } from "../../components/CardGrid";
import { FiltersBar, filtersFromParams } from "../../components/FiltersBar";
import { CardSkeletons, EmptyState, ErrorMessage } from "../../components/Status";
import { useAuth } from "../auth/AuthContext";
import { FeedRows } from "./FeedRows";
import { useInfiniteScroll } from "./useInfiniteScroll";

export function FeedPage() {
  const { username } = useAuth();
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const feed = useFeed(filters);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = feed;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const sentinel = useInfiniteScroll(loadMore, Boolean(hasNextPage));

  const setFilters = (next: Filters) =>
    setParams(new URLSearchParams(Object.entries(next).map(([k, v]) => [k, String(v)])), { replace: true });
  const items = feed.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Object.keys(filters).length > 0;

  return (
    <main className="page">
      <div className="page-heading">
        <h1>For you, {username}</h1>
        <p className="muted">Picked from your ratings and likes. Rate or dismiss anything and this list changes right away.</p>
      </div>
      <FiltersBar value={filters} onChange={setFilters} />
      {!filtered && <FeedRows filters={filters} />}
      <section aria-labelledby="all-heading">
        <h2 id="all-heading">{filtered ? "Recommendations matching your filters" : "All recommendations"}</h2>
        {feed.isPending ? (
          <CardSkeletons />
        ) : feed.isError ? (
          <ErrorMessage error={feed.error} onRetry={() => void feed.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState title={filtered ? "Nothing matches these filters" : "Your feed is empty"}>
            {filtered ? (
              "Loosen or clear the filters."
            ) : (
              <>Tell us what you like: <Link to="/welcome">pick a few favourites</Link>, rate titles from search, or{" "}
                <Link to="/import">import your IMDb or Letterboxd ratings</Link>.</>
            )}
          </EmptyState>
        ) : (
          <CardGrid titles={items} label="Recommendations" actions />
        )}
        <div ref={sentinel} />
        {hasNextPage && (
          <div className="load-more">
            <button type="button" className="button" onClick={loadMore} disabled={isFetchingNextPage}>
              {isFetchingNextPage ? "Loading…" : "Load more"}
            </button>
          </div>
        )}
      </section>
    </main>
  );
}
