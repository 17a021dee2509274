// A Letterboxd ratings.csv in the real export format (Date, Name, Year, Letterboxd URI, Rating 0.5–5): no ids,
// so the service must match each row on title and year.
const quote = (value) => {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export function letterboxdCsv(titles) {
  const rows = titles.map((t, i) => [
    `2024-0${1 + (i % 9)}-2${i % 10}`,
    t.title,
    t.year ?? "",
    `https://boxd.it/e2e${i}`,
    [4.5, 2, 3.5, 5][i % 4],
  ]);
  return [["Date", "Name", "Year", "Letterboxd URI", "Rating"], ...rows].map((row) => row.map(quote).join(",")).join("\n") + "\n";
}
