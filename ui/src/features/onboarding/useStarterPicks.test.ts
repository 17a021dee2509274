import type { Title } from "../../api/types";
import { interleave } from "./useStarterPicks";
import { TITLES } from "../../test/render";

const matrix: Title = { ...TITLES.matrix, reasons: [] };
const alien: Title = { ...TITLES.alien, reasons: [] };
const galaxy: Title = { ...TITLES.galaxy, reasons: [] };

describe("interleave", () => {
  it("takes titles in turns from each source, once each, up to the limit", () => {
    expect(interleave([[matrix, alien], [matrix, galaxy], []], 10).map((t) => t.title)).toEqual(["The Matrix", "Alien", "Galaxy Quest"]);
    expect(interleave([[matrix, alien], [galaxy]], 2).map((t) => t.title)).toEqual(["The Matrix", "Galaxy Quest"]);
    expect(interleave([], 5)).toEqual([]);
  });
});
