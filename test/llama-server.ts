import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { REPO_ROOT } from "../src/datasets/shared-data.js";

/**
 * llama.cpp's own server (llama-server), built by scripts/build-llama-server.sh from the llama.cpp
 * source node-llama-cpp ships, started on loopback for tests and benchmarks: the real peer the HTTP
 * path must work against, not a double of it.
 */

/** The cache folder of the build script for the llama.cpp commit node-llama-cpp bundles (the bundle's HEAD). */
export function llamaServerCacheDir(): string {
  const bundle = join(REPO_ROOT, "node_modules/node-llama-cpp/llama/gitRelease.bundle");
  // A git bundle starts with a text header: a signature line, then "<sha> <ref>" lines.
  const header = readFileSync(bundle).subarray(0, 4096).toString("latin1");
  const commit = /^([0-9a-f]{40}) HEAD$/m.exec(header)?.[1];
  if (!commit) throw new Error(`${bundle}: no HEAD in the bundle's header`);
  return join(process.env.PONDER_CACHE_DIR ?? join(homedir(), ".cache/ponder"), "llama-server", commit.slice(0, 12));
}

/** The llama-server binary: $LLAMA_SERVER when set, else the build script's output; null when it is not there. */
export function llamaServerBinary(): string | null {
  const path = process.env.LLAMA_SERVER ? resolve(process.env.LLAMA_SERVER) : join(llamaServerCacheDir(), "bin/llama-server");
  return existsSync(path) ? path : null;
}

/**
 * Why tests that need llama-server cannot run here, for `describe(…, { skip })`; undefined when they
 * can. With CI set a missing binary throws instead: CI builds it first, so its absence is a failure.
 */
export function llamaServerSkipReason(): string | undefined {
  if (llamaServerBinary()) return undefined;
  const message = `llama-server not found (${process.env.LLAMA_SERVER ?? join(llamaServerCacheDir(), "bin/llama-server")}); build it with scripts/build-llama-server.sh (about 10 minutes of 2 cores, once per machine)`;
  if (process.env.CI) throw new Error(`${message}. CI is set: these tests are required, never skipped`);
  return message;
}

export interface LlamaServerOptions {
  /** A GGUF path (a shipped demo model, or one a test wrote). */
  model: string;
  /** The name the server serves it under (`--alias`; default the file name without .gguf). */
  alias?: string;
  /** Parallel slots (`-np`, default 16): also the most `n` a request may ask for. */
  slots?: number;
  /** Tokens per slot (default 1024); the server's `-c` is this times the slots. */
  contextPerSlot?: number;
  /** More command-line arguments. */
  args?: readonly string[];
  /** The loopback port (default: a free one); a test restarting a replica where it was gives its old port. */
  port?: number;
}

export interface LlamaServer {
  /** `http://127.0.0.1:<port>/v1` */
  readonly baseURL: string;
  /** `http://127.0.0.1:<port>` */
  readonly rootURL: string;
  readonly alias: string;
  readonly process: ChildProcess;
  /** The server's Prometheus counters (`/metrics`), by name without the `llamacpp:` prefix. */
  metrics(): Promise<Record<string, number>>;
  /**
   * The counters once the server has gone quiet: no request processing or deferred, and the token
   * counters unchanged over 200 ms. A request a test left in flight (a call that rejected while its
   * siblings still ran) would otherwise be counted in the next test's window.
   */
  settled(): Promise<Record<string, number>>;
  /** Stops the server (SIGTERM, then SIGKILL) and waits for it to exit. */
  close(): Promise<void>;
}

// Servers never outlive the process that started them, whether it ends normally or is signalled.
const running = new Set<ChildProcess>();
const killAll = () => {
  for (const child of running) child.kill("SIGKILL");
};
process.once("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(128 + (signal === "SIGINT" ? 2 : 15));
  });
}

/**
 * Starts llama-server on a free loopback port with one CPU thread (`-t 1 -tb 1`) and the embedded
 * engine's exact numerics (F32 KV cache, no flash attention), and waits until it answers `/health`.
 * @example const server = await startLlamaServer({ model: "models/policy-small.gguf" }); … await server.close();
 */
export async function startLlamaServer({ model, alias, slots = 16, contextPerSlot = 1024, args = [], port: fixed }: LlamaServerOptions): Promise<LlamaServer> {
  const binary = llamaServerBinary();
  if (!binary) throw new Error(llamaServerSkipReason() ?? "llama-server not found");
  const name = alias ?? model.split("/").pop()!.replace(/\.gguf$/, "");
  for (let attempt = 1; ; attempt++) {
    const port = fixed ?? (await freePort());
    try {
      return await launch(binary, { model, name, port, slots, contextPerSlot, args });
    } catch (error) {
      // Another process may take the port between our probe and the server's bind.
      if (fixed !== undefined || attempt >= 3 || !/bind|address already in use/i.test(String(error))) throw error;
    }
  }
}

async function launch(
  binary: string,
  { model, name, port, slots, contextPerSlot, args }: { model: string; name: string; port: number; slots: number; contextPerSlot: number; args: readonly string[] },
): Promise<LlamaServer> {
  const argv = [
    ...["-m", model, "--alias", name, "--host", "127.0.0.1", "--port", String(port)],
    ...["-np", String(slots), "-c", String(slots * contextPerSlot), "-t", "1", "-tb", "1"],
    ...["-ctk", "f32", "-ctv", "f32", "-fa", "off", "--no-webui", "--metrics", "--no-warmup"],
    ...args,
  ];
  const child = spawn(binary, argv, { stdio: ["ignore", "ignore", "pipe"] });
  running.add(child);
  let log = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    log = (log + chunk.toString("utf8")).slice(-20_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => (running.delete(child), resolve(code))));
  const rootURL = `http://127.0.0.1:${port}`;
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`llama-server exited with code ${child.exitCode} before it was ready: ${log.slice(-2000)}`);
    try {
      const response = await fetch(`${rootURL}/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await close();
      throw new Error(`llama-server did not become ready within 60 s: ${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const metrics = async () => parseMetrics(await (await fetch(`${rootURL}/metrics`)).text());
  return {
    baseURL: `${rootURL}/v1`,
    rootURL,
    alias: name,
    process: child,
    metrics,
    settled: async () => {
      let last = await metrics();
      for (;;) {
        await new Promise((r) => setTimeout(r, 200));
        const now = await metrics();
        const quiet = now.requests_processing === 0 && now.requests_deferred === 0;
        if (quiet && now.prompt_tokens_total === last.prompt_tokens_total && now.tokens_predicted_total === last.tokens_predicted_total) return now;
        last = now;
      }
    },
    close,
  };
}

/** `llamacpp:prompt_tokens_total 123` lines as { prompt_tokens_total: 123 }. */
function parseMetrics(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const match = /^llamacpp:(\w+)\s+(\S+)$/.exec(line.trim());
    if (match) out[match[1]!] = Number(match[2]);
  }
  return out;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A shipped demo model's path. */
export function shippedModel(name: "policy-small" | "policy-large" | "prm" | "revision"): string {
  return join(REPO_ROOT, "models", `${name}.gguf`);
}
