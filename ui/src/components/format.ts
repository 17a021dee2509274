/** Small display helpers shared by cards and the title page. */

const TYPE_LABELS: Record<string, string> = {
  movie: "Movie",
  tvSeries: "Series",
  tvMiniSeries: "Miniseries",
  tvMovie: "TV movie",
  tvSpecial: "TV special",
  short: "Short",
  video: "Video",
  tvEpisode: "Episode",
};

export const TITLE_TYPES = ["movie", "tvSeries", "tvMiniSeries", "tvMovie", "short"];

export const GENRES = [
  "Action", "Adventure", "Animation", "Biography", "Comedy", "Crime", "Documentary", "Drama", "Family",
  "Fantasy", "History", "Horror", "Music", "Musical", "Mystery", "Romance", "Sci-Fi", "Sport", "Thriller",
  "War", "Western",
];

export function typeLabel(type: string): string {
  return TYPE_LABELS[type] ?? type;
}

export function runtimeLabel(minutes?: number | null): string | null {
  if (!minutes) return null;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? `${h}h ${m.toString().padStart(2, "0")}m` : `${m}m`;
}

export function votesLabel(votes?: number | null): string | null {
  if (!votes) return null;
  if (votes >= 1_000_000) return `${(votes / 1_000_000).toFixed(1)}M votes`;
  if (votes >= 1_000) return `${Math.round(votes / 1_000)}k votes`;
  return `${votes} votes`;
}

export function yearLabel(year?: number | null, endYear?: number | null): string {
  if (!year) return "";
  if (endYear && endYear !== year) return `${year}–${endYear}`;
  return String(year);
}
