/** TanStack Query hooks, one per resource. Acting on a title updates every cached list at once. */
import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from "@tanstack/react-query";
import { api } from "./endpoints";
import type { FeedRow, Feedback, Filters, Items, Preferences, Title } from "./types";

export const FEED_PAGE = 20;

export const keys = {
  title: (tconst: string) => ["title", tconst] as const,
  similar: (tconst: string) => ["similar", tconst] as const,
  search: (q: string, filters: Filters) => ["search", q, filters] as const,
  feed: (filters: Filters) => ["feed", filters] as const,
  rows: (filters: Filters) => ["rows", filters] as const,
  ratings: ["ratings"] as const,
  feedback: ["feedback"] as const,
  preferences: ["preferences"] as const,
  taste: ["taste"] as const,
  shareCode: ["share-code"] as const,
};

export function useTitle(tconst: string) {
  return useQuery({ queryKey: keys.title(tconst), queryFn: () => api.title(tconst) });
}

export function useSimilar(tconst: string) {
  return useQuery({ queryKey: keys.similar(tconst), queryFn: () => api.similar(tconst, 12) });
}

export function useSearch(q: string, filters: Filters = {}, limit = 24) {
  const text = q.trim();
  return useQuery({
    queryKey: [...keys.search(text, filters), limit],
    queryFn: ({ signal }) => api.search(text, limit, filters, signal),
    enabled: text.length > 0,
    staleTime: 60_000,
  });
}

export function useFeed(filters: Filters = {}) {
  return useInfiniteQuery({
    queryKey: keys.feed(filters),
    queryFn: ({ pageParam }) => api.feed(FEED_PAGE, pageParam, filters),
    initialPageParam: 0,
    getNextPageParam: (last: Items<Title>, pages) =>
      last.items.length < FEED_PAGE ? undefined : pages.length * FEED_PAGE,
  });
}

export function useFeedRows(filters: Filters = {}, enabled = true) {
  return useQuery({ queryKey: keys.rows(filters), queryFn: () => api.feedRows(10, filters), enabled });
}

export function useRatings() {
  return useQuery({ queryKey: keys.ratings, queryFn: api.ratings });
}

export function useMyFeedback() {
  return useQuery({ queryKey: keys.feedback, queryFn: () => api.feedbackList() });
}

export function usePreferences() {
  return useQuery({ queryKey: keys.preferences, queryFn: api.preferences });
}

export function useTaste() {
  return useQuery({ queryKey: keys.taste, queryFn: api.taste });
}

export function useShareCode() {
  return useQuery({ queryKey: keys.shareCode, queryFn: api.shareCode, staleTime: Infinity });
}

/** Drop a title from every cached feed page and row, so the screen changes before the refetch lands. */
export function removeFromFeeds(client: QueryClient, tconst: string): void {
  client.setQueriesData<InfiniteData<Items<Title>>>({ queryKey: ["feed"] }, (data) =>
    data
      ? { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.filter((t) => t.tconst !== tconst) })) }
      : data,
  );
  client.setQueriesData<Items<FeedRow>>({ queryKey: ["rows"] }, (data) =>
    data
      ? {
          ...data,
          items: data.items.map((row) => ({ ...row, items: row.items.filter((t) => t.tconst !== tconst) })),
        }
      : data,
  );
}

/**
 * Refetch what a rating, feedback or preference edit changes. The feed, its rows and the taste profile are
 * refetched even when no screen shows them, so going back to the feed shows the new one, not a stale copy.
 */
function refreshPersonal(client: QueryClient): Promise<unknown> {
  return Promise.all([
    client.invalidateQueries({ queryKey: ["feed"], refetchType: "all" }),
    client.invalidateQueries({ queryKey: ["rows"], refetchType: "all" }),
    client.invalidateQueries({ queryKey: keys.taste, refetchType: "all" }),
    client.invalidateQueries({ queryKey: ["similar"] }),
  ]);
}

export function useRate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ tconst, rating }: { tconst: string; rating: number | null }): Promise<void> => {
      if (rating === null) await api.unrate(tconst);
      else await api.rate(tconst, rating);
    },
    onMutate: ({ tconst, rating }) => {
      if (rating !== null) removeFromFeeds(client, tconst);
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: keys.ratings });
      return refreshPersonal(client);
    },
  });
}

const HIDING_KINDS = new Set<Feedback["kind"]>(["dislike", "not_interested", "watched"]);

export function useFeedback() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ undo, ...feedback }: Feedback & { undo?: boolean }): Promise<void> => {
      if (undo) await api.undoFeedback(feedback.tconst, feedback.kind);
      else await api.feedback(feedback);
    },
    onMutate: ({ undo, ...feedback }) => {
      if (!undo && HIDING_KINDS.has(feedback.kind)) removeFromFeeds(client, feedback.tconst);
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: keys.feedback });
      return refreshPersonal(client);
    },
  });
}

export function useSavePreferences() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (preferences: Preferences) => api.savePreferences(preferences),
    onSuccess: (saved) => client.setQueryData(keys.preferences, saved),
    onSettled: () => refreshPersonal(client),
  });
}

export function useImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ file, onProgress }: { file: File; onProgress?: (fraction: number) => void }) =>
      api.importFile(file, onProgress),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.ratings });
      return refreshPersonal(client);
    },
  });
}
