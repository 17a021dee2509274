// A real `wtw serve` for the browser tests, isolated from the developer's own `var/`: its own artifact root,
// data and cache dirs, a fresh SQLite database and a free loopback port.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The demo build's artifacts. Only these are copied: a `usermodel` in var/ was trained on someone else's
 * users and would score the fresh e2e accounts with their tastes.
 */
const DEMO_KINDS = ["catalog", "vectors", "index"];

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const latest = (artifacts, kind) => {
  const file = join(artifacts, kind, "LATEST");
  return existsSync(file) ? readFileSync(file, "utf8").trim() : null;
};

const manifest = (artifacts, kind) =>
  JSON.parse(readFileSync(join(artifacts, kind, latest(artifacts, kind), "manifest.json"), "utf8"));

/** Every demo kind published, each built from the current version of the one before it (not mid-rebuild). */
function complete(artifacts) {
  if (!DEMO_KINDS.every((kind) => latest(artifacts, kind))) return false;
  return (
    manifest(artifacts, "vectors").catalog_version === latest(artifacts, "catalog") &&
    manifest(artifacts, "index").vectors_version === latest(artifacts, "vectors")
  );
}

/**
 * Make `dest` current with `source` (a finished `make demo` build): each demo kind whose LATEST differs gets that
 * version copied and its older copies removed. LATEST is read before its version folder is copied, so a
 * build still publishing into `source` never hands us half a version. Returns whether anything changed.
 */
function seed(source, dest) {
  if (!complete(source)) return false;
  let changed = false;
  for (const kind of DEMO_KINDS) {
    const version = latest(source, kind);
    if (version === latest(dest, kind)) continue;
    rmSync(join(dest, kind), { recursive: true, force: true });
    cpSync(join(source, kind, version), join(dest, kind, version), { recursive: true });
    cpSync(join(source, kind, "LATEST"), join(dest, kind, "LATEST"));
    changed = true;
  }
  return changed;
}

/** The environment that points `wtw` at the harness's own folders under `home`. */
function scratchEnv(home, artifacts, database) {
  return {
    ...process.env,
    WTW_ARTIFACT_ROOT: artifacts,
    WTW_DATA_DIR: join(home, "data"),
    WTW_CACHE_DIR: join(home, "cache"),
    WTW_DATABASE_URL: `sqlite:///${database}`,
    WTW_LOG_LEVEL: "WARNING",
  };
}

/**
 * Demo artifacts in `artifacts` (kept between runs, gitignored): copied from the repo's `var/artifacts` when a
 * demo build is there (`make test` makes one first), then `wtw build --demo --if-missing` builds whatever is
 * still missing (all of it on a fresh clone without `var/`).
 */
export function prepareArtifacts(root, artifacts) {
  const home = mkdtempSync(join(tmpdir(), "wtw-e2e-build-"));
  try {
    mkdirSync(artifacts, { recursive: true });
    if (seed(join(root, "var", "artifacts"), artifacts)) {
      console.log(`e2e: copied the demo artifacts from var/artifacts into ${artifacts}`);
    }
    console.log(`e2e: wtw build --demo --if-missing (artifact root ${artifacts})`);
    const result = spawnSync(join(root, ".venv", "bin", "wtw"), ["build", "--demo", "--if-missing"], {
      cwd: root,
      env: scratchEnv(home, artifacts, join(home, "unused.db")),
      stdio: "inherit",
    });
    if (result.status !== 0) throw new Error(`wtw build --demo failed (exit ${result.status})`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** `wtw serve` on a free port with a fresh database; resolves once /readyz answers 200. */
export async function startServer(root, artifacts) {
  const port = await freePort();
  const home = mkdtempSync(join(tmpdir(), "wtw-e2e-serve-"));
  const env = { ...scratchEnv(home, artifacts, join(home, "e2e.db")), WTW_SERVICE__UI_DIST: join(root, "ui", "dist") };
  const child = spawn(join(root, ".venv", "bin", "wtw"), ["serve", "--host", "127.0.0.1", "--port", String(port)], {
    cwd: root,
    env,
    detached: true, // its own process group, so stop() ends uvicorn and any workers
    stdio: ["ignore", "inherit", "inherit"],
  });
  let exited = null;
  child.on("exit", (code) => (exited = code));
  const base = `http://127.0.0.1:${port}`;
  const gone = new Promise((resolve) => child.on("exit", resolve));
  const signal = (name) => {
    try {
      process.kill(-child.pid, name);
    } catch {
      /* already gone */
    }
  };
  /** SIGTERM the process group, SIGKILL it after 10 s, then remove the scratch folder. */
  const stop = async () => {
    if (exited === null) {
      signal("SIGTERM");
      const timer = setTimeout(() => signal("SIGKILL"), 10_000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(home, { recursive: true, force: true });
  };
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (exited !== null) {
      await stop();
      throw new Error(`wtw serve exited with ${exited} before it was ready`);
    }
    try {
      const response = await fetch(`${base}/readyz`);
      if (response.ok) return { base, stop, child };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error("wtw serve was not ready within 180 s");
}
