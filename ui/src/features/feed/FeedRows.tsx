/** Grouped rows: "Top picks for you", "Because you liked X", "More like X", "Popular now in <genre>". */
import type { UseQueryResult } from "@tanstack/react-query";
import type { FeedRow, Items } from "../../api/types";
import { CardGrid } from "../../components/CardGrid";
import { CardSkeletons } from "../../components/Status";

/** The rows worth showing: a failed or empty answer shows none (the flat feed below still works). */
export function visibleRows(rows: UseQueryResult<Items<FeedRow>>): FeedRow[] {
  return rows.data?.items.filter((row) => row.items.length > 0) ?? [];
}

export function FeedRows({ rows }: { rows: UseQueryResult<Items<FeedRow>> }) {
  if (rows.isPending) return <CardSkeletons count={4} />;
  return (
    <>
      {visibleRows(rows).map((row) => (
        <section key={row.key ?? row.title} className="feed-row" aria-label={row.title}>
          <h2>{row.title}</h2>
          <CardGrid titles={row.items} label={row.title} actions variant="row" />
        </section>
      ))}
    </>
  );
}
