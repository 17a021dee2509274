import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FeedPage } from "./FeedPage";
import { fakeApi, loggedIn, renderAt, TITLES } from "../../test/render";

describe("FeedPage", () => {
  beforeEach(() => loggedIn("ada"));

  it("shows grouped rows and recommendations with their reasons", async () => {
    fakeApi({
      "GET /me/feed/rows": () => ({ items: [{ title: "Because you liked Alien", items: [TITLES.galaxy] }] }),
      "GET /me/feed": () => ({ items: [{ ...TITLES.matrix, reasons: [{ kind: "similar_to", text: "Close to Alien, which you rated 9", tconst: "tt0078748" }] }] }),
    });
    renderAt(<FeedPage />);
    expect(await screen.findByRole("heading", { name: "Because you liked Alien" })).toBeInTheDocument();
    const list = await screen.findByRole("list", { name: "Recommendations" });
    expect(within(list).getByText("Close to Alien, which you rated 9")).toBeInTheDocument();
  });

  it("shows a title once: the grid below the rows leaves out what a row shows", async () => {
    fakeApi({
      "GET /me/feed/rows": () => ({ items: [{ key: "top", kind: "top_picks", title: "Top picks for you", items: [TITLES.matrix] }] }),
      "GET /me/feed": () => ({ items: [TITLES.matrix, TITLES.alien] }),
    });
    renderAt(<FeedPage />);
    const row = await screen.findByRole("list", { name: "Top picks for you" });
    expect(within(row).getByRole("link", { name: "The Matrix" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "More for you" })).toBeInTheDocument();
    const grid = await screen.findByRole("list", { name: "Recommendations" });
    expect(within(grid).getByRole("link", { name: "Alien" })).toBeInTheDocument();
    expect(within(grid).queryByRole("link", { name: "The Matrix" })).not.toBeInTheDocument();
  });

  it("removes a dismissed card at once and refetches the feed", async () => {
    let dismissed = false;
    const { calls } = fakeApi({
      "GET /me/feed/rows": () => ({ items: [] }),
      "GET /me/feed": () => ({ items: dismissed ? [TITLES.alien] : [TITLES.matrix, TITLES.alien] }),
      "POST /me/feedback": () => {
        dismissed = true;
        return { ok: true };
      },
    });
    renderAt(<FeedPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Dislike The Matrix" }));
    await waitFor(() => expect(screen.queryByRole("link", { name: "The Matrix" })).not.toBeInTheDocument());
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ tconst: "tt0133093", kind: "dislike" });
    await waitFor(() => expect(calls.filter((c) => c.path === "/me/feed").length).toBeGreaterThan(1));
    expect(screen.getByRole("link", { name: "Alien" })).toBeInTheDocument();
  });

  it("offers not now / never from a card", async () => {
    const { calls } = fakeApi({
      "GET /me/feed/rows": () => ({ items: [] }),
      "GET /me/feed": () => ({ items: [TITLES.matrix] }),
      "POST /me/feedback": () => ({ ok: true }),
    });
    renderAt(<FeedPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Not interested in The Matrix" }));
    await user.click(screen.getByRole("menuitem", { name: "Not now" }));
    await waitFor(() =>
      expect(calls.find((c) => c.method === "POST")?.body).toEqual({ tconst: "tt0133093", kind: "not_interested", snooze_days: 30 }),
    );
  });

  it("tells a new user what to do when the feed is empty", async () => {
    fakeApi({ "GET /me/feed/rows": () => ({ items: [] }), "GET /me/feed": () => ({ items: [] }) });
    renderAt(<FeedPage />);
    expect(await screen.findByText("Your feed is empty")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: /import your IMDb or Letterboxd ratings/ })).toHaveAttribute("href", "/import");
  });

  it("sends filters to the API", async () => {
    const { calls } = fakeApi({ "GET /me/feed/rows": () => ({ items: [] }), "GET /me/feed": () => ({ items: [] }) });
    renderAt(<FeedPage />, "/?genre=Comedy&max_runtime=100");
    await screen.findByText("Nothing matches these filters");
    const feedCall = calls.find((c) => c.path === "/me/feed");
    expect(feedCall?.search).toContain("genre=Comedy");
    expect(feedCall?.search).toContain("max_runtime=100");
    expect(screen.getByLabelText("Genre")).toHaveValue("Comedy");
  });
});
