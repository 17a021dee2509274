/** The API's shapes, taken from the generated OpenAPI types (src/api/schema.d.ts) so they can't drift. */
import type { components } from "./schema";

type Schemas = components["schemas"];

export type Title = Schemas["TitlePublic"];
export type TitleDetail = Schemas["TitleDetailPublic"];
export type Reason = Schemas["Reason"];
export type FeedRow = Schemas["FeedRowPublic"];
export type User = Schemas["UserPublic"];
export type Token = Schemas["Token"];
export type Rating = Schemas["RatingPublic"];
export type FeedbackKind = Schemas["FeedbackKind"];
export type Feedback = Schemas["FeedbackCreate"];
export type FeedbackRecord = Schemas["FeedbackPublic"];
export type TasteProfile = Schemas["TastePublic"];
export type ImportSummary = Schemas["ImportResult"];
export type UnknownRow = Schemas["UnknownRow"];
export type ShareCode = Schemas["ShareCodePublic"];
/** Preferences with every field present (the API omits empty ones). */
export type Preferences = Required<Omit<Schemas["PreferencesUpdate"], "updated_at">>;

export interface Items<T> {
  items: T[];
}

/** The filters every list route takes. */
export interface Filters {
  type?: string;
  genre?: string;
  year_from?: number;
  year_to?: number;
  max_runtime?: number;
  min_rating?: number;
  min_votes?: number;
}

type SearchQuery = NonNullable<import("./schema").operations["search_api_v1_search_get"]["parameters"]["query"]>;
type Assignable<A extends B, B> = A;
/** Compile-time check: every filter we send is a parameter the service's list routes accept. */
export type FiltersMatchApi = Assignable<keyof Filters, keyof SearchQuery>;

/** "Not interested — not now" hides a title for this many days; "never" sends no snooze. */
export const NOT_NOW_DAYS = 30;
