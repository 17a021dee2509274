/** Titles to offer on the onboarding's last step, drawn from what the user just told us. */
import { useQueries } from "@tanstack/react-query";
import { api } from "../../api/endpoints";
import type { Title } from "../../api/types";

const PER_SOURCE = 6;
const TOTAL = 24;

/**
 * The best-known titles of each picked person ("by <name>" search), then the most popular of each picked genre,
 * then popular titles overall; taken in turns from each source so every pick shows up near the top.
 */
export function useStarterPicks(genres: string[], people: string[]): { titles: Title[]; isPending: boolean } {
  const sources = useQueries({
    queries: [
      ...people.map((person) => ({
        queryKey: ["starter", "person", person],
        queryFn: () => api.search(`by ${person}`, PER_SOURCE),
        staleTime: Infinity,
      })),
      ...genres.map((genre) => ({
        queryKey: ["starter", "genre", genre],
        queryFn: () => api.feed(PER_SOURCE, 0, { genre }),
        staleTime: Infinity,
      })),
      { queryKey: ["starter", "popular"], queryFn: () => api.feed(TOTAL, 0), staleTime: Infinity },
    ],
  });
  const lists = sources.map((source) => source.data?.items ?? []);
  return { titles: interleave(lists, TOTAL), isPending: sources.every((source) => source.isPending) };
}

/** Round-robin over the lists, skipping titles already taken, up to `limit`. */
export function interleave(lists: Title[][], limit: number): Title[] {
  const seen = new Set<string>();
  const out: Title[] = [];
  const longest = Math.max(0, ...lists.map((list) => list.length));
  for (let i = 0; i < longest && out.length < limit; i += 1) {
    for (const list of lists) {
      const title = list[i];
      if (!title || seen.has(title.tconst)) continue;
      seen.add(title.tconst);
      out.push(title);
      if (out.length === limit) break;
    }
  }
  return out;
}
