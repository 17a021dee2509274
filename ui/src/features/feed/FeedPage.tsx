/**
 * The personal feed: grouped rows, then the rest of the recommendations with their reasons, filters and
 * infinite scroll. A title shown in a row is left out of the grid below, so nothing appears twice.
 */
import { useCallback, useEffect } from "react";
import { Link, useSearchParams } from "react-router";
import { useFeed, useFeedRows } from "../../api/queries";
import type { Filters } from "../../api/types";
import { CardGrid } from "../../components/CardGrid";
import { FiltersBar, filtersFromParams } from "../../components/FiltersBar";
import { CardSkeletons, EmptyState, ErrorMessage } from "../../components/Status";
import { useAuth } from "../auth/AuthContext";
import { FeedRows, visibleRows } from "./FeedRows";
import { useInfiniteScroll } from "./useInfiniteScroll";

const MIN_GRID = 10;

export function FeedPage() {
  const { username } = useAuth();
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const filtered = Object.keys(filters).length > 0;
  const feed = useFeed(filters);
  const rows = useFeedRows(filters, !filtered);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = feed;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const sentinel = useInfiniteScroll(loadMore, Boolean(hasNextPage));

  const setFilters = (next: Filters) =>
    setParams(new URLSearchParams(Object.entries(next).map(([k, v]) => [k, String(v)])), { replace: true });
  const items = feed.data?.pages.flatMap((page) => page.items) ?? [];
  const shownInRows = new Set(filtered ? [] : visibleRows(rows).flatMap((row) => row.items.map((t) => t.tconst)));
  const rest = items.filter((t) => !shownInRows.has(t.tconst));
  const rowsSettled = filtered || !rows.isPending;
  // The rows may take most of the first page: fetch on until the grid has a screenful of its own.
  useEffect(() => {
    if (feed.isSuccess && rowsSettled && rest.length < MIN_GRID) loadMore();
  }, [feed.isSuccess, rowsSettled, rest.length, loadMore]);

  return (
    <main className="page">
      <div className="page-heading">
        <h1>For you, {username}</h1>
        <p className="muted">Picked from your ratings and likes. Rate or dismiss anything and this list changes right away.</p>
      </div>
      <FiltersBar value={filters} onChange={setFilters} />
      {!filtered && <FeedRows rows={rows} />}
      {(rest.length > 0 || items.length === 0 || hasNextPage) && (
        <section aria-labelledby="all-heading">
          <h2 id="all-heading">
            {filtered ? "Recommendations matching your filters" : shownInRows.size > 0 ? "More for you" : "All recommendations"}
          </h2>
          {feed.isPending || !rowsSettled ? (
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
            <CardGrid titles={rest} label="Recommendations" actions />
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
      )}
    </main>
  );
}
