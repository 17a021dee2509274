import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { api } from "../../api/endpoints";
import { ApiError } from "../../api/client";
import { ImportPage } from "./ImportPage";
import { fakeApi, loggedIn, renderAt } from "../../test/render";

const csv = (name: string) => new File(["Const,Your Rating\ntt0133093,9\n"], name, { type: "text/csv" });

describe("ImportPage", () => {
  beforeEach(() => {
    loggedIn();
    fakeApi({});
  });

  it("uploads a file and shows the summary", async () => {
    const upload = vi.spyOn(api, "importFile").mockImplementation(async (_file, onProgress) => {
      onProgress?.(1);
      return {
        source: "imdb",
        imported: 2,
        skipped: 1,
        unknown: [{ row: 4, title: "Obscure Film", year: 1970 }],
        errors: [{ row: 5, message: "rating 11 is not between 1 and 10" }],
        duplicate_file: false,
        undated: 1,
        warnings: [{ row: 6, message: "'Date Rated': unreadable date '31/31/2020'; imported without a date" }],
      };
    });
    renderAt(<ImportPage />);
    await userEvent.setup().upload(screen.getByLabelText("Ratings CSV file"), csv("ratings.csv"));
    expect(await screen.findByRole("heading", { name: "Import finished — IMDb export" })).toBeInTheDocument();
    expect(screen.getByText("Imported").nextSibling).toHaveTextContent("2");
    expect(screen.getByText("Row 4: Obscure Film (1970)")).toBeInTheDocument();
    expect(screen.getByText("Row 5: rating 11 is not between 1 and 10")).toBeInTheDocument();
    expect(screen.getByText("Imported without a date (1)")).toBeInTheDocument();
    expect(upload).toHaveBeenCalledOnce();
  });

  it("rejects a non-CSV file before uploading", async () => {
    const upload = vi.spyOn(api, "importFile");
    renderAt(<ImportPage />);
    await userEvent.setup({ applyAccept: false }).upload(screen.getByLabelText("Ratings CSV file"), new File(["x"], "ratings.xlsx"));
    expect(await screen.findByRole("alert")).toHaveTextContent("Please choose a .csv file");
    expect(upload).not.toHaveBeenCalled();
  });

  it("shows the server's message for a bad file", async () => {
    vi.spyOn(api, "importFile").mockRejectedValue(new ApiError(422, "This is not an IMDb or Letterboxd ratings export."));
    renderAt(<ImportPage />);
    await userEvent.setup().upload(screen.getByLabelText("Ratings CSV file"), csv("notes.csv"));
    expect(await screen.findByRole("alert")).toHaveTextContent("This is not an IMDb or Letterboxd ratings export.");
  });
});
