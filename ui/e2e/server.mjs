// Start and stop a real `wtw serve` on a free loopback port with a fresh SQLite database.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

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

/** `wtw build --demo --if-missing`: the demo catalog, vectors and index in var/ (a no-op when they exist). */
export function buildDemo(root) {
  const wtw = join(root, ".venv", "bin", "wtw");
  console.log("e2e: wtw build --demo --if-missing");
  const result = spawnSync(wtw, ["build", "--demo", "--if-missing"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`wtw build --demo failed (exit ${result.status})`);
}

export async function startServer(root) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "wtw-e2e-db-"));
  const env = {
    ...process.env,
    WTW_DATABASE_URL: `sqlite:///${join(dir, "e2e.db")}`,
    WTW_SERVICE__UI_DIST: join(root, "ui", "dist"),
  };
  const child = spawn(join(root, ".venv", "bin", "wtw"), ["serve", "--host", "127.0.0.1", "--port", String(port)], {
    cwd: root,
    env,
    detached: true, // its own process group, so stop() ends uvicorn and any workers
    stdio: ["ignore", "inherit", "inherit"],
  });
  let exited = null;
  child.on("exit", (code) => (exited = code));
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    if (exited === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        /* already gone */
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (exited !== null) {
      stop();
      throw new Error(`wtw serve exited with ${exited} before it was ready`);
    }
    try {
      const response = await fetch(`${base}/readyz`);
      if (response.ok) return { base, stop, child };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  stop();
  throw new Error("wtw serve was not ready within 180 s");
}
