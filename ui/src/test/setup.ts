import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach, vi } from "vitest";

// findBy*/waitFor default to 1 s, too short when test files run in parallel on two shared cores.
configure({ asyncUtilTimeout: 5_000 });

// jsdom has no layout, so no scrolling: the app scrolls to the top on every route change.
window.scrollTo = () => {};

afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.restoreAllMocks();
});
