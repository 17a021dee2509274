/** Grouped rows: "Because you liked X", "More like X", "Popular in <genre>". */
import { useFeedRows } from "../../api/queries";
import type { Filters } from "../../api/types";
import { CardGrid } from "../../components/CardGrid";
import { CardSkeletons } from "../../components/Status";

export function FeedRows({ filters }: { filters: Filters }) {
  const rows = useFeedRows(filters);
  if (rows.isPending) return <CardSkeletons count={4} />;
  if (rows.isError) return null; // the flat feed below still works; rows are a bonus
  const visible = rows.data.items.filter((row) => row.items.length > 0);
  return (
    <>
      {visible.map((row) => (
        <section key={row.key ?? row.title} className="feed-row" aria-label={row.title}>
          <h2>{row.title}</h2>
          <CardGrid titles={row.items} label={row.title} actions variant="row" />
        </section>
      ))}
    </>
  );
}
