import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { REPO_ROOT } from "../../src/datasets/shared-data.js";

/**
 * llama.cpp's own server for bench/threads.ts, started as the `servers` branch's test harness starts
 * it (one thread: -t 1 -tb 1, F32 KV cache, no flash attention, 16 slots): one process per model,
 * so policy and PRM each have a core, the comparison the issue sets.
 */
export interface BenchServer {
  readonly baseURL: string;
  readonly process: ChildProcess;
  /** CPU seconds (user + system) the server has used so far. */
  cpuSeconds(): number;
  close(): Promise<void>;
}

/** $LLAMA_SERVER, else scripts/build-llama-server.sh's output for the llama.cpp commit node-llama-cpp bundles; null when absent. */
export function llamaServerBinary(): string | null {
  if (process.env.LLAMA_SERVER) return existsSync(process.env.LLAMA_SERVER) ? resolve(process.env.LLAMA_SERVER) : null;
  const header = readFileSync(join(REPO_ROOT, "node_modules/node-llama-cpp/llama/gitRelease.bundle")).subarray(0, 4096).toString("latin1");
  const commit = /^([0-9a-f]{40}) HEAD$/m.exec(header)?.[1];
  if (!commit) return null;
  const path = join(process.env.PONDER_CACHE_DIR ?? join(homedir(), ".cache/ponder"), "llama-server", commit.slice(0, 12), "bin/llama-server");
  return existsSync(path) ? path : null;
}

export async function startServer(binary: string, model: string, alias: string): Promise<BenchServer> {
  const port = await freePort();
  const args = ["-m", model, "--alias", alias, "--host", "127.0.0.1", "--port", String(port), "-np", "16", "-c", String(16 * 512), "-t", "1", "-tb", "1"];
  args.push("-ctk", "f32", "-ctv", "f32", "-fa", "off", "--no-webui", "--metrics", "--no-warmup");
  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr!.on("data", (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  const root = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 100) {
    if (child.exitCode !== null) throw new Error(`llama-server exited (${child.exitCode}): ${log}`);
    if (waited > 60_000) throw new Error(`llama-server did not become healthy in 60 s: ${log}`);
    const ok = await fetch(`${root}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseURL: `${root}/v1`,
    process: child,
    cpuSeconds: () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    close: async () => {
      process.off("exit", kill);
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}
