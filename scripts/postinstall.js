// After `npm install` (of this checkout, or of ponder-ttc into a project): builds ponder's native
// decode step (scripts/build-native.sh, a few seconds) where it can, linux-x64 with git and a C++
// compiler. It never fails the install: without the addon the embedded engine runs node-llama-cpp's
// own per-token path, slower, with the same results. PONDER_SKIP_NATIVE_BUILD=1 skips it.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

if (process.platform === "linux" && process.arch === "x64" && process.env.PONDER_SKIP_NATIVE_BUILD !== "1") {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const script = fileURLToPath(new URL("./build-native.sh", import.meta.url));
  const run = spawnSync("bash", [script], { cwd: root, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  if (run.status !== 0) {
    const why = (run.stderr || run.error?.message || "").trim().split("\n").at(-1);
    process.stderr.write(`ponder-ttc: the native decode step was not built (${why}); the embedded engine works without it, slower. Retry with: bash ${script}\n`);
  }
}
