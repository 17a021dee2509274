/** Render the app (or a part of it) at a route, with a fresh query client and a fake API. */
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter } from "react-router";
import { vi } from "vitest";
import { setToken } from "../api/client";
import { makeQueryClient, Providers } from "../providers";

export type Handler = (request: { method: string; url: URL; body: unknown }) => unknown;
export interface FakeCall {
  method: string;
  path: string;
  search: string;
  body: unknown;
}

/** Fake fetch: `routes` maps "METHOD /path" to a handler; a handler may return `new Response(...)` for errors. */
export function fakeApi(routes: Record<string, Handler>) {
  const calls: FakeCall[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), "http://localhost");
    const method = (init.method ?? "GET").toUpperCase();
    const path = url.pathname.replace(/^\/api\/v1/, "");
    let body: unknown = init.body;
    if (typeof init.body === "string") body = JSON.parse(init.body);
    else if (init.body instanceof URLSearchParams) body = Object.fromEntries(init.body);
    calls.push({ method, path, search: url.search, body });
    const key = Object.keys(routes).find((pattern) => {
      const [m, p] = pattern.split(" ");
      return m === method && new RegExp(`^${p.replace(/:[a-z_]+/g, "[^/]+")}$`).test(path);
    });
    if (!key) return new Response(JSON.stringify({ detail: "Not Found" }), { status: 404, headers: { "Content-Type": "application/json" } });
    const result = await routes[key]({ method, url, body });
    if (result instanceof Response) return result;
    return new Response(result === undefined ? null : JSON.stringify(result), {
      status: result === undefined ? 204 : 200,
      headers: { "Content-Type": "application/json" },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  return { calls, fetchMock };
}

export function jsonError(status: number, detail: unknown): Response {
  return new Response(JSON.stringify({ detail }), { status, headers: { "Content-Type": "application/json" } });
}

export function loggedIn(username = "ada"): void {
  setToken("test-token");
  localStorage.setItem("wtw.username", username);
}

export function renderAt(ui: ReactElement, route = "/") {
  const client = makeQueryClient();
  client.setDefaultOptions({ queries: { ...client.getDefaultOptions().queries, retry: false } });
  return {
    client,
    ...render(
      <MemoryRouter initialEntries={[route]}>
        <Providers client={client}>{ui}</Providers>
      </MemoryRouter>,
    ),
  };
}

export const TITLES = {
  matrix: { tconst: "tt0133093", title: "The Matrix", year: 1999, type: "movie", genres: ["Action", "Sci-Fi"], score: 0.9, rating: 8.7, votes: 2000000, runtime_minutes: 136, directors: ["Lana Wachowski", "Lilly Wachowski"], cast: ["Keanu Reeves"] },
  alien: { tconst: "tt0078748", title: "Alien", year: 1979, type: "movie", genres: ["Horror", "Sci-Fi"], score: 0.8, rating: 8.5, votes: 900000, runtime_minutes: 117, directors: ["Ridley Scott"], cast: ["Sigourney Weaver"] },
  galaxy: { tconst: "tt0177789", title: "Galaxy Quest", year: 1999, type: "movie", genres: ["Adventure", "Comedy", "Sci-Fi"], score: 0.7, rating: 7.4, votes: 180000, runtime_minutes: 102, directors: ["Dean Parisot"], cast: ["Tim Allen"] },
};
