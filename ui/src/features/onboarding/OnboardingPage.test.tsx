import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router";
import { EMPTY_PREFERENCES } from "../../api/defaults";
import { OnboardingPage } from "./OnboardingPage";
import { fakeApi, loggedIn, renderAt, TITLES } from "../../test/render";

describe("OnboardingPage", () => {
  it("saves picked genres, people and titles, then shows the feed", async () => {
    loggedIn();
    const { calls } = fakeApi({
      "GET /me/preferences": () => EMPTY_PREFERENCES,
      "PUT /me/preferences": ({ body }) => body,
      "GET /me/feed": () => ({ items: [TITLES.matrix, TITLES.alien] }),
      "GET /search": () => ({ items: [TITLES.galaxy] }),
    });
    renderAt(
      <Routes>
        <Route path="/welcome" element={<OnboardingPage />} />
        <Route path="/" element={<p>feed</p>} />
      </Routes>,
      "/welcome",
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Sci-Fi" }));
    await user.click(screen.getByRole("button", { name: "Comedy" }));
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.type(screen.getByLabelText("Person"), "Ridley Scott{Enter}");
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.click(await screen.findByRole("button", { name: /Alien/ }));
    expect(screen.getByText("Suggestions from the genres and people you picked:")).toBeInTheDocument();
    expect(calls.some((c) => c.path === "/search" && new URLSearchParams(c.search).get("q") === "by Ridley Scott")).toBe(true);
    expect(calls.some((c) => c.path === "/me/feed" && new URLSearchParams(c.search).get("genre") === "Sci-Fi")).toBe(true);
    await user.type(screen.getByLabelText("Find a title"), "galaxy");
    await user.click(await screen.findByRole("button", { name: /Galaxy Quest/ }));
    await user.click(screen.getByRole("button", { name: "Show my feed" }));
    expect(await screen.findByText("feed")).toBeInTheDocument();
    await waitFor(() =>
      expect(calls.find((c) => c.method === "PUT")?.body).toMatchObject({
        liked_genres: ["Sci-Fi", "Comedy"],
        liked_people: ["Ridley Scott"],
        liked_titles: ["tt0078748", "tt0177789"],
      }),
    );
  });
});
