/** One function per API route: the only place that knows paths and shapes. */
import { API_BASE, ApiError, getToken, parseResponse, request, type Query } from "./client";
import { EMPTY_PREFERENCES } from "./defaults";
import type {
  FeedRow,
  Feedback,
  FeedbackKind,
  FeedbackRecord,
  Filters,
  ImportSummary,
  Items,
  Preferences,
  Rating,
  ShareCode,
  TasteProfile,
  Title,
  TitleDetail,
  Token,
  User,
} from "./types";

const withDefaults = (preferences: Partial<Preferences>): Preferences => {
  const { updated_at: _, ...rest } = preferences as Partial<Preferences> & { updated_at?: unknown };
  return { ...EMPTY_PREFERENCES, ...rest };
};

const filterQuery = (filters: Filters = {}): Query => ({ ...filters });

export const api = {
  register: (username: string, password: string) =>
    request<User>("POST", "/auth/register", { json: { username, password } }),

  login: (username: string, password: string) =>
    request<Token>("POST", "/auth/token", { form: new URLSearchParams({ username, password }) }),

  title: (tconst: string) => request<TitleDetail>("GET", `/titles/${encodeURIComponent(tconst)}`),

  similar: (tconst: string, limit = 12, filters?: Filters) =>
    request<Items<Title>>("GET", `/titles/${encodeURIComponent(tconst)}/similar`, {
      query: { limit, ...filterQuery(filters) },
    }),

  search: (q: string, limit = 20, filters?: Filters, signal?: AbortSignal) =>
    request<Items<Title>>("GET", "/search", { query: { q, limit, ...filterQuery(filters) }, signal }),

  ratings: () => request<Items<Rating>>("GET", "/me/ratings"),
  rate: (tconst: string, rating: number) =>
    request<Rating>("PUT", `/me/ratings/${encodeURIComponent(tconst)}`, { json: { rating } }),
  unrate: (tconst: string) => request<void>("DELETE", `/me/ratings/${encodeURIComponent(tconst)}`),

  feedback: (feedback: Feedback) => request<FeedbackRecord>("POST", "/me/feedback", { json: feedback }),
  feedbackList: (kind?: FeedbackKind) => request<Items<FeedbackRecord>>("GET", "/me/feedback", { query: { kind } }),
  undoFeedback: (tconst: string, kind: FeedbackKind) =>
    request<void>("DELETE", `/me/feedback/${encodeURIComponent(tconst)}`, { query: { kind } }),

  preferences: async () => withDefaults(await request<Partial<Preferences>>("GET", "/me/preferences")),
  savePreferences: async (preferences: Preferences) =>
    withDefaults(await request<Partial<Preferences>>("PUT", "/me/preferences", { json: preferences })),

  feed: (limit: number, offset: number, filters?: Filters) =>
    request<Items<Title>>("GET", "/me/feed", { query: { limit, offset, ...filterQuery(filters) } }),
  feedRows: (perRow: number, filters?: Filters) =>
    request<Items<FeedRow>>("GET", "/me/feed/rows", { query: { per_row: perRow, ...filterQuery(filters) } }),

  taste: () => request<TasteProfile>("GET", "/me/taste"),

  /** The caller's share code, created on first use. */
  shareCode: async () => {
    try {
      return await request<ShareCode>("GET", "/me/share-code");
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return request<ShareCode>("POST", "/me/share-code");
      throw error;
    }
  },
  tonight: (codes: string[], limit = 20, filters?: Filters) =>
    request<Items<Title>>("GET", "/groups/tonight", { query: { codes, limit, ...filterQuery(filters) } }),

  importFile,
};

/** Upload an export with progress (fetch has no upload progress, so this one uses XMLHttpRequest). */
export function importFile(file: File, onProgress?: (fraction: number) => void): Promise<ImportSummary> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${API_BASE}/me/imports`);
    const token = getToken();
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      try {
        resolve(parseResponse<ImportSummary>(xhr.status, xhr.getResponseHeader("Content-Type"), xhr.responseText));
      } catch (error) {
        reject(error);
      }
    };
    xhr.onerror = () => reject(new ApiError(0, "Can't reach the server. Check that it is running and try again."));
    const body = new FormData();
    body.append("file", file);
    xhr.send(body);
  });
}
