// A ratings file in the real IMDb "Your Ratings" export format, built from titles the catalog knows.
const COLUMNS = [
  "Const", "Your Rating", "Date Rated", "Title", "URL", "Title Type", "IMDb Rating", "Runtime (mins)", "Year",
  "Genres", "Num Votes", "Release Date", "Directors",
];
const IMDB_TYPES = { movie: "Movie", tvSeries: "TV Series", tvMiniSeries: "TV Mini Series", tvMovie: "TV Movie", short: "Short", video: "Video", tvSpecial: "TV Special" };

const quote = (value) => {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export function imdbCsv(titles, unknown = []) {
  const rows = [...titles, ...unknown].map((t, i) => [
    t.tconst,
    8 - (i % 4),
    `2024-0${1 + (i % 9)}-1${i % 10}`,
    t.title,
    `https://www.imdb.com/title/${t.tconst}/`,
    IMDB_TYPES[t.type] ?? "Movie",
    t.rating ?? "",
    t.runtime_minutes ?? "",
    t.year ?? "",
    (t.genres ?? []).join(", "),
    t.votes ?? "",
    t.year ? `${t.year}-01-01` : "",
    (t.directors ?? []).join(", "),
  ]);
  return [COLUMNS, ...rows].map((row) => row.map(quote).join(",")).join("\r\n") + "\r\n";
}
