import type { Preferences } from "./types";

export const EMPTY_PREFERENCES: Preferences = {
  liked_genres: [],
  disliked_genres: [],
  liked_people: [],
  liked_titles: [],
  title_types: [],
  year_from: null,
  year_to: null,
  max_runtime: null,
  boosted_genres: {},
  muted_titles: [],
};
