import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { EMPTY_PREFERENCES } from "../../api/defaults";
import { ProfilePage } from "./ProfilePage";
import { fakeApi, loggedIn, renderAt, TITLES } from "../../test/render";

describe("ProfilePage", () => {
  it("removes a title's influence and boosts a genre", async () => {
    loggedIn();
    const { calls } = fakeApi({
      "GET /me/taste": () => ({
        genres: [{ name: "Sci-Fi", weight: 0.8 }, { name: "Horror", weight: 0.3 }],
        people: [{ name: "Ridley Scott", weight: 0.5 }],
        anchors: [TITLES.alien],
        disliked: [TITLES.galaxy],
        counts: {},
        has_vector: true,
      }),
      "GET /me/preferences": () => EMPTY_PREFERENCES,
      "PUT /me/preferences": ({ body }) => body,
      "GET /me/ratings": () => ({ items: [{ tconst: "tt0078748", rating: 9, title: "Alien" }] }),
    });
    renderAt(<ProfilePage />);
    const user = userEvent.setup();
    expect(await screen.findByText("Ridley Scott")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Galaxy Quest" })).toHaveAttribute("href", "/title/tt0177789");
    await user.click(screen.getByRole("button", { name: "Remove influence" }));
    await waitFor(() => expect(calls.find((c) => c.method === "PUT")?.body).toMatchObject({ muted_titles: ["tt0078748"] }));
    expect(await screen.findByRole("button", { name: "Restore influence" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Boost Comedy" }));
    await waitFor(() =>
      expect(calls.filter((c) => c.method === "PUT").at(-1)?.body).toMatchObject({ boosted_genres: { Comedy: 0.5 }, muted_titles: ["tt0078748"] }),
    );
    expect(screen.getByText("9/10")).toBeInTheDocument();
  });
});
