// The browser flow against a real `wtw serve` on the demo catalog:
// register → onboarding → search → title page → rate → feed changes → import an IMDb CSV (twice: nothing
// changes) and a Letterboxd CSV → feed excludes the imported titles → dislike from a card → taste profile
// edit → tonight with a friend → log out and in → phone width → server down.
// One screenshot per step in e2e/screenshots/.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { prepareArtifacts, startServer } from "./server.mjs";
import { imdbCsv } from "./imdb-csv.mjs";
import { letterboxdCsv } from "./letterboxd-csv.mjs";

const ui = resolve(import.meta.dirname, "..");
const root = resolve(ui, "..");
const shots = join(ui, "e2e", "screenshots");
const artifacts = join(ui, "e2e", ".artifacts");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
  console.log(`  ✓ ${message}`);
}

const nav = (page, name) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });

/** The tconsts of the cards inside `scope` (a page or a locator), once the first has rendered. */
async function listIds(scope) {
  await scope.locator("[data-card-link]").first().waitFor({ timeout: 30_000 });
  const hrefs = await scope.locator("[data-card-link]").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  return hrefs.map((href) => href.split("/").pop());
}

const cardIds = (page) => listIds(page);

/** A second account, made through the API, that shares its code with the e2e user for tonight mode. */
async function friendShareCode(base) {
  const credentials = { username: "e2e_friend", password: "another-horse-battery" };
  const post = (path, init) => fetch(`${base}/api/v1${path}`, { method: "POST", ...init });
  const registered = await post("/auth/register", { headers: { "Content-Type": "application/json" }, body: JSON.stringify(credentials) });
  if (!registered.ok) throw new Error(`registering the friend failed: ${registered.status}`);
  const { access_token: token } = await (await post("/auth/token", { body: new URLSearchParams(credentials) })).json();
  const shared = await post("/me/share-code", { headers: { Authorization: `Bearer ${token}` } });
  if (!shared.ok) throw new Error(`creating the friend's share code failed: ${shared.status}`);
  return (await shared.json()).code;
}

/** Every title on the feed page (rows and the grid below them), once the grid has loaded. */
async function feedIds(page) {
  await page.getByRole("list", { name: "Recommendations" }).locator("[data-card-link]").first().waitFor({ timeout: 30_000 });
  return cardIds(page);
}

async function main() {
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  prepareArtifacts(root, artifacts);
  const server = await startServer(root, artifacts);
  const profileDir = mkdtempSync(join(tmpdir(), "wtw-e2e-chromium-"));
  const work = mkdtempSync(join(tmpdir(), "wtw-e2e-files-"));
  let context;
  let page;
  let step = 0;
  const shot = async (name, fullPage = true) => {
    step += 1;
    const file = join(shots, `${String(step).padStart(2, "0")}-${name}.png`);
    // A full-page capture draws the sticky header where the window is scrolled to; start from the top.
    if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: file, fullPage });
    console.log(`  📸 ${file}`);
  };
  const serverErrors = [];
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
      viewport: { width: 1280, height: 900 },
      baseURL: server.base,
    });
    context.setDefaultTimeout(30_000);
    page = context.pages()[0] ?? (await context.newPage());
    page.on("response", (response) => {
      if (response.url().includes("/api/") && response.status() >= 500) serverErrors.push(`${response.status()} ${response.url()}`);
    });
    page.on("pageerror", (error) => serverErrors.push(`page error: ${error.message}`));

    console.log("register");
    await page.goto("/");
    await page.getByRole("link", { name: "Create an account" }).waitFor();
    await shot("landing");
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.getByLabel("Username").fill("e2e_viewer");
    await page.getByLabel("Password").fill("correct-horse-battery");
    await shot("register");
    await page.getByRole("button", { name: "Create account" }).click();

    console.log("onboarding");
    await page.getByRole("heading", { name: "Which genres do you enjoy?" }).waitFor();
    for (const genre of ["Sci-Fi", "Thriller", "Comedy"]) await page.getByRole("button", { name: genre, exact: true }).click();
    await shot("onboarding-genres");
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByLabel("Person").fill("Christopher Nolan");
    await page.getByLabel("Person").press("Enter");
    await page.getByRole("button", { name: "Next" }).click();
    const picks = page.getByRole("group", { name: "Titles" }).getByRole("button");
    await picks.first().waitFor();
    for (let i = 0; i < 3; i += 1) await picks.nth(i).click();
    await shot("onboarding-titles");
    await page.getByRole("button", { name: "Show my feed" }).click();
    await page.getByRole("heading", { name: /For you, e2e_viewer/ }).waitFor();
    const initialFeed = await feedIds(page);
    check(initialFeed.length >= 5, `feed is useful right after onboarding (${initialFeed.length} titles)`);
    await shot("feed-after-onboarding");

    console.log("search");
    const box = page.getByRole("combobox", { name: "Search titles" });
    await box.fill("something like Alien but funny");
    await page.getByRole("listbox", { name: "Suggestions" }).getByRole("option").first().waitFor();
    await shot("search-suggestions", false);
    await box.press("Enter");
    await page.getByRole("heading", { name: /Results for/ }).waitFor();
    const results = await cardIds(page);
    check(results.length > 0, `search returns results (${results.length})`);
    await shot("search-results");

    console.log("title page");
    const target = results.find((t) => !initialFeed.includes(t)) ?? results[0];
    await page.locator(`[data-card-link][href="/title/${target}"]`).first().click();
    await page.getByRole("heading", { level: 1 }).waitFor();
    await page.getByRole("heading", { name: "More like this" }).waitFor();
    await page.locator("[data-card-link]").first().waitFor();
    await shot("title-page");

    console.log("rate");
    await page.getByRole("radio", { name: "Rate 9 out of 10" }).click();
    await page.getByText("Rated 9/10. Your feed is updated.").waitFor();
    await shot("title-rated", false);

    console.log("feed changes");
    await nav(page, "Feed").click();
    await page.getByRole("heading", { name: /For you/ }).waitFor();
    const afterRating = await feedIds(page);
    check(!afterRating.includes(target), "the rated title is not in the feed");
    check(afterRating.join() !== initialFeed.join(), "the feed changed after rating");
    await shot("feed-after-rating");

    console.log("import");
    const fromImdb = afterRating.slice(0, 5);
    const fromLetterboxd = afterRating.slice(5, 7);
    const imported = [...fromImdb, ...fromLetterboxd];
    const details = {};
    for (const tconst of imported) details[tconst] = await (await fetch(`${server.base}/api/v1/titles/${tconst}`)).json();
    const csvPath = join(work, "ratings.csv");
    const unknown = [{ tconst: "tt9999998", title: "A Film Not In The Demo Catalog", year: 1931 }];
    writeFileSync(csvPath, imdbCsv(fromImdb.map((t) => details[t]), unknown));
    const lbPath = join(work, "letterboxd-ratings.csv");
    writeFileSync(lbPath, letterboxdCsv(fromLetterboxd.map((t) => details[t])));
    const importedCount = () => page.locator(".summary-numbers div").first().locator("dd").innerText().then(Number);
    await nav(page, "Import").click();
    await page.getByLabel("Ratings CSV file").setInputFiles(csvPath);
    await page.getByRole("heading", { name: "Import finished — IMDb export" }).waitFor();
    check((await importedCount()) === fromImdb.length, `IMDb import: ${fromImdb.length} imported`);
    await page.getByText(/Titles we couldn't match/).click();
    await shot("import-summary");
    await page.getByLabel("Ratings CSV file").setInputFiles(csvPath);
    await page.getByText("You had already imported this file — nothing changed.").waitFor();
    check((await importedCount()) === 0, "the same file again changes nothing");
    await page.getByLabel("Ratings CSV file").setInputFiles(lbPath);
    await page.getByRole("heading", { name: "Import finished — Letterboxd export" }).waitFor();
    check((await importedCount()) === fromLetterboxd.length, `Letterboxd import matched on title and year: ${fromLetterboxd.length} imported`);

    console.log("feed excludes imported titles");
    await page.getByRole("link", { name: "See your updated feed" }).click();
    await page.getByRole("heading", { name: /For you/ }).waitFor();
    const afterImport = await feedIds(page);
    const leaked = imported.filter((t) => afterImport.includes(t));
    check(leaked.length === 0, `no imported title in the feed (${afterImport.length} cards checked)`);
    await shot("feed-after-import");

    console.log("dislike from a card");
    const grid = page.getByRole("list", { name: "Recommendations" });
    const card = grid.getByRole("listitem").first();
    const disliked = (await card.locator("[data-card-link]").getAttribute("href")).split("/").pop();
    await card.getByRole("button", { name: /^Dislike / }).click();
    await page.locator(`[data-card-link][href="/title/${disliked}"]`).first().waitFor({ state: "detached", timeout: 5_000 });
    check(!(await cardIds(page)).includes(disliked), "a disliked card leaves the feed at once");

    console.log("taste profile");
    await nav(page, "Taste").click();
    await page.getByRole("heading", { name: "Your taste profile" }).waitFor();
    const remove = page.getByRole("button", { name: "Remove influence" }).first();
    await remove.waitFor();
    let saved = page.waitForResponse((r) => r.url().endsWith("/api/v1/me/preferences") && r.request().method() === "PUT");
    await remove.click();
    check((await saved).ok(), "removing a title's influence is saved");
    saved = page.waitForResponse((r) => r.url().endsWith("/api/v1/me/preferences") && r.request().method() === "PUT");
    await page.getByRole("button", { name: "Boost Comedy" }).click();
    check((await saved).ok(), "boosting a genre is saved");
    await page.reload();
    await page.getByRole("button", { name: "Restore influence" }).first().waitFor();
    check((await page.getByLabel("Comedy boost").innerText()) === "+0.5", "edits survive a reload");
    const away = page.getByRole("region", { name: "Titles steering your feed away" });
    check((await away.locator(`a[href="/title/${disliked}"]`).count()) === 1, "the disliked title is listed in the profile");
    await shot("taste-profile");

    console.log("tonight");
    const friendCode = await friendShareCode(server.base);
    await nav(page, "Tonight").click();
    await page.locator(".share-code code").waitFor();
    await page.getByLabel("Friend's share code").fill(friendCode);
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByRole("button", { name: "Find something for all of us" }).click();
    const tonight = await listIds(page.getByRole("list", { name: "Picks for tonight" }));
    check(tonight.length > 0 && !tonight.some((t) => imported.includes(t)), `tonight picks for two, none already seen (${tonight.length})`);
    await shot("tonight");

    console.log("log out and back in");
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("link", { name: "Create an account" }).waitFor();
    await nav(page, "Log in").click();
    await page.getByLabel("Username").fill("e2e_viewer");
    await page.getByLabel("Password").fill("wrong-password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("alert").getByText("Wrong username or password.").waitFor();
    await page.getByLabel("Password").fill("correct-horse-battery");
    await page.getByRole("button", { name: "Log in" }).click();
    const back = await feedIds(page);
    check(!back.some((t) => imported.includes(t)), "logged back in: the same account, its history still respected");

    console.log("phone width");
    await page.setViewportSize({ width: 390, height: 844 });
    await nav(page, "Feed").click();
    await page.locator("[data-card-link]").first().waitFor();
    await shot("phone-feed", false);
    await page.locator("[data-card-link]").first().click();
    await page.getByRole("heading", { name: "More like this" }).waitFor();
    await shot("phone-title", false);

    check(serverErrors.length === 0, `no server errors or page errors (${serverErrors.join("; ")})`);

    console.log("server down");
    await server.stop();
    await box.fill("anything at all");
    await box.press("Enter");
    await page.getByRole("alert").getByText(/Can't reach the server/).waitFor();
    check(await page.getByRole("button", { name: "Try again" }).isVisible(), "a stopped server gets a clear message and a retry");
    await shot("phone-server-down", false);
    console.log(`e2e: all steps passed; screenshots in ${shots}`);
  } catch (error) {
    if (page) await page.screenshot({ path: join(shots, "failure.png"), fullPage: true }).catch(() => {});
    if (serverErrors.length) console.error("server/page errors:", serverErrors.join("\n"));
    throw error;
  } finally {
    await context?.close().catch(() => {});
    await server.stop();
    rmSync(profileDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`e2e FAILED: ${error.stack ?? error}`);
  process.exit(1);
});
