import { genreGradient, hueOf } from "./genreColor";

describe("genre colours", () => {
  it("is deterministic and distinct for common genres", () => {
    expect(genreGradient(["Horror", "Sci-Fi"])).toBe(genreGradient(["Horror", "Sci-Fi"]));
    expect(hueOf("Comedy")).not.toBe(hueOf("Horror"));
  });

  it("handles unknown and missing genres", () => {
    expect(hueOf("Space Opera")).toBeGreaterThanOrEqual(0);
    expect(genreGradient([])).toMatch(/^linear-gradient/);
  });

  it("keeps backgrounds dark enough for white text", () => {
    for (const genres of [["Comedy", "Family"], ["Animation"], ["Western", "Musical"]]) {
      const lightness = [...genreGradient(genres).matchAll(/hsl\(\d+ \d+% (\d+)%\)/g)].map((m) => Number(m[1]));
      expect(lightness).toHaveLength(2);
      lightness.forEach((l) => expect(l).toBeLessThanOrEqual(30));
    }
  });
});
