import { ApiError, errorFrom, onUnauthorized, request, setToken, toSearchParams } from "./client";
import { fakeApi, jsonError } from "../test/render";

describe("toSearchParams", () => {
  it("drops empty values and repeats arrays", () => {
    expect(toSearchParams({ q: "alien", genre: undefined, limit: 10, year_from: "", type: ["movie", "tvSeries"] })).toBe(
      "?q=alien&limit=10&type=movie&type=tvSeries",
    );
    expect(toSearchParams({})).toBe("");
  });
});

describe("errorFrom", () => {
  it("turns FastAPI validation details into field messages", () => {
    const error = errorFrom(422, { detail: [{ loc: ["body", "password"], msg: "String should have at least 8 characters" }] });
    expect(error.fields).toEqual({ password: "String should have at least 8 characters" });
    expect(error.message).toContain("password: String should have at least 8 characters");
  });

  it("uses a string detail as is and explains bare statuses", () => {
    expect(errorFrom(409, { detail: "Username already taken" }).message).toBe("Username already taken");
    expect(errorFrom(503, "").message).toMatch(/temporarily unavailable/);
  });
});

describe("request", () => {
  it("sends the bearer token and parses JSON", async () => {
    setToken("abc");
    const { fetchMock } = fakeApi({ "GET /titles/:id": () => ({ tconst: "tt1" }) });
    await expect(request("GET", "/titles/tt1")).resolves.toEqual({ tconst: "tt1" });
    const init = fetchMock.mock.calls[0][1] as RequestInit;
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer abc");
  });

  it("says the server is unreachable when fetch fails", async () => {
    vi.stubGlobal("fetch", vi.fn().mockRejectedValue(new TypeError("Failed to fetch")));
    await expect(request("GET", "/search")).rejects.toThrow(/Can't reach the server/);
  });

  it("logs out on 401 (expired session)", async () => {
    setToken("old");
    const listener = vi.fn();
    const stop = onUnauthorized(listener);
    fakeApi({ "GET /me/feed": () => jsonError(401, "Could not validate credentials") });
    await expect(request("GET", "/me/feed")).rejects.toBeInstanceOf(ApiError);
    expect(listener).toHaveBeenCalledOnce();
    expect(localStorage.getItem("wtw.token")).toBeNull();
    stop();
  });
});
