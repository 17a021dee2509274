import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router";
import { TitlePage } from "./TitlePage";
import { fakeApi, jsonError, loggedIn, renderAt, TITLES } from "../../test/render";

const page = (
  <Routes>
    <Route path="/title/:tconst" element={<TitlePage />} />
  </Routes>
);

describe("TitlePage", () => {
  it("shows details, people and similar titles", async () => {
    fakeApi({
      "GET /titles/tt0133093": () => ({ ...TITLES.matrix, overview: "A hacker learns the truth.", writers: [] }),
      "GET /titles/tt0133093/similar": () => ({ items: [{ ...TITLES.alien, reasons: [{ kind: "genre", text: "Shares Sci-Fi" }] }] }),
    });
    renderAt(page, "/title/tt0133093");
    expect(await screen.findByRole("heading", { level: 1, name: "The Matrix" })).toBeInTheDocument();
    expect(screen.getByText("Lana Wachowski, Lilly Wachowski")).toBeInTheDocument();
    expect(screen.getByText("A hacker learns the truth.")).toBeInTheDocument();
    expect(await screen.findByRole("link", { name: "Alien" })).toHaveAttribute("href", "/title/tt0078748");
    expect(screen.getByText("Log in to rate this, like it or add it to your watchlist.")).toBeInTheDocument();
  });

  it("rates and sends feedback for a logged-in user", async () => {
    loggedIn();
    const { calls } = fakeApi({
      "GET /titles/tt0133093": () => TITLES.matrix,
      "GET /titles/tt0133093/similar": () => ({ items: [] }),
      "GET /me/ratings": () => ({ items: [] }),
      "PUT /me/ratings/tt0133093": ({ body }) => ({ tconst: "tt0133093", ...(body as object) }),
      "POST /me/feedback": () => ({ ok: true }),
      "GET /me/feedback": () => ({ items: [] }),
    });
    renderAt(page, "/title/tt0133093");
    const user = userEvent.setup();
    await user.click(await screen.findByRole("radio", { name: "Rate 8 out of 10" }));
    await waitFor(() => expect(screen.getByText("Rated 8/10. Your feed is updated.")).toBeInTheDocument());
    expect(calls.find((c) => c.method === "PUT")?.body).toEqual({ rating: 8 });
    await user.click(screen.getByRole("button", { name: /Not interested: never/ }));
    await waitFor(() =>
      expect(calls.find((c) => c.method === "POST")?.body).toEqual({ tconst: "tt0133093", kind: "not_interested" }),
    );
  });

  it("shows what the user already said and undoes it", async () => {
    loggedIn();
    const { calls } = fakeApi({
      "GET /titles/tt0133093": () => TITLES.matrix,
      "GET /titles/tt0133093/similar": () => ({ items: [] }),
      "GET /me/ratings": () => ({ items: [{ ...TITLES.matrix, rating: 7 }] }),
      "GET /me/feedback": () => ({ items: [{ ...TITLES.matrix, kind: "watchlist" }] }),
      "DELETE /me/feedback/tt0133093": () => undefined,
    });
    renderAt(page, "/title/tt0133093");
    const user = userEvent.setup();
    const watchlist = await screen.findByRole("button", { name: "Watchlist", pressed: true });
    expect(screen.getByRole("radio", { name: "Rate 7 out of 10" })).toBeChecked();
    await user.click(watchlist);
    expect(await screen.findByText("Removed from your watchlist.")).toBeInTheDocument();
    const undo = calls.find((c) => c.method === "DELETE");
    expect(undo?.path).toBe("/me/feedback/tt0133093");
    expect(undo?.search).toBe("?kind=watchlist");
  });

  it("explains an unknown title", async () => {
    fakeApi({ "GET /titles/tt404": () => jsonError(404, "Unknown title"), "GET /titles/tt404/similar": () => jsonError(404, "x") });
    renderAt(page, "/title/tt404");
    expect(await screen.findByText("We don't know that title")).toBeInTheDocument();
  });
});
