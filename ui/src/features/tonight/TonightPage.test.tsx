import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { TonightPage } from "./TonightPage";
import { fakeApi, jsonError, loggedIn, renderAt, TITLES } from "../../test/render";

describe("TonightPage", () => {
  beforeEach(() => loggedIn("ada"));

  it("shows your code and finds picks for you and a friend", async () => {
    const { calls } = fakeApi({
      "GET /me/share-code": () => ({ code: "Ab3-XY", created_at: "2026-01-01T00:00:00Z" }),
      "GET /groups/tonight": () => ({ items: [TITLES.galaxy] }),
    });
    renderAt(<TonightPage />);
    expect(await screen.findByText("Ab3-XY")).toBeInTheDocument();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Friend's share code"), "Friend-1{Enter}");
    await user.click(screen.getByRole("button", { name: "Find something for all of us" }));
    const picks = await screen.findByRole("list", { name: "Picks for tonight" });
    expect(within(picks).getByRole("link", { name: "Galaxy Quest" })).toBeInTheDocument();
    expect(calls.find((c) => c.path === "/groups/tonight")?.search).toContain("codes=Friend-1");
  });

  it("explains an unknown code", async () => {
    fakeApi({
      "GET /me/share-code": () => ({ code: "Ab3-XY", created_at: "2026-01-01T00:00:00Z" }),
      "GET /groups/tonight": () => jsonError(404, "unknown share code(s): typo-1"),
    });
    renderAt(<TonightPage />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Friend's share code"), "typo-1{Enter}");
    await user.click(screen.getByRole("button", { name: "Find something for all of us" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("We don't know the share code typo-1. Check for typos");
  });
});
