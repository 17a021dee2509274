import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes, useLocation } from "react-router";
import { SearchBox } from "./SearchBox";
import { fakeApi, renderAt, TITLES } from "../../test/render";

function Where() {
  const location = useLocation();
  return <p data-testid="where">{location.pathname + location.search}</p>;
}

function Harness() {
  return (
    <>
      <SearchBox />
      <Routes>
        <Route path="*" element={<Where />} />
      </Routes>
    </>
  );
}

describe("SearchBox", () => {
  it("suggests titles and opens one with the keyboard", async () => {
    const { calls } = fakeApi({ "GET /search": () => ({ items: [TITLES.alien, TITLES.galaxy] }) });
    renderAt(<Harness />);
    const user = userEvent.setup();
    await user.type(screen.getByRole("combobox", { name: "Search titles" }), "alien but funny");
    expect(await screen.findByRole("option", { name: /Galaxy Quest/ })).toBeInTheDocument();
    expect(calls.at(-1)?.search).toContain("q=alien+but+funny");
    await user.keyboard("{ArrowDown}{ArrowDown}");
    expect(screen.getByRole("option", { name: /Galaxy Quest/ })).toHaveAttribute("aria-selected", "true");
    await user.keyboard("{Enter}");
    await waitFor(() => expect(screen.getByTestId("where")).toHaveTextContent("/title/tt0177789"));
  });

  it("goes to the results page on Enter without a selection", async () => {
    fakeApi({ "GET /search": () => ({ items: [] }) });
    renderAt(<Harness />);
    const user = userEvent.setup();
    await user.type(screen.getByRole("combobox"), "by Christopher Nolan{Enter}");
    expect(screen.getByTestId("where")).toHaveTextContent("/search?q=by%20Christopher%20Nolan");
  });
});
