/** A card's colour, derived from its genres (IMDb has no posters): a two-stop gradient, dark enough for white text. */

const GENRE_HUES: Record<string, number> = {
  Action: 8,
  Adventure: 28,
  Animation: 190,
  Biography: 40,
  Comedy: 48,
  Crime: 350,
  Documentary: 160,
  Drama: 220,
  Family: 95,
  Fantasy: 275,
  "Film-Noir": 230,
  "Game-Show": 310,
  History: 35,
  Horror: 0,
  Music: 300,
  Musical: 320,
  Mystery: 255,
  News: 200,
  "Reality-TV": 330,
  Romance: 338,
  "Sci-Fi": 185,
  Short: 140,
  Sport: 120,
  "Talk-Show": 285,
  Thriller: 265,
  War: 70,
  Western: 25,
  Adult: 345,
};

export function hueOf(genre: string): number {
  if (genre in GENRE_HUES) return GENRE_HUES[genre];
  let hash = 0;
  for (const char of genre) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % 360;
}

/** CSS background for a title with these genres; white text on it keeps a contrast ratio above 4.5:1. */
export function genreGradient(genres: string[]): string {
  const [first = "Drama", second] = genres;
  const a = hueOf(first);
  const b = second ? hueOf(second) : (a + 40) % 360;
  return `linear-gradient(135deg, hsl(${a} 55% 30%) 0%, hsl(${b} 50% 18%) 100%)`;
}

export function genreAccent(genres: string[]): string {
  return `hsl(${hueOf(genres[0] ?? "Drama")} 70% 62%)`;
}
