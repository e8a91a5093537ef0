import { createAdaptorServer } from "@hono/node-server";
import type { Hono } from "hono";
import type { Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import type { ComputeOptimalPolicy } from "../compute-optimal/policy.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { redactCredentials } from "../core/redact-credentials.js";
import { strategies } from "../strategies/index.js";
import { DEFAULT_LIMITS, validateLimits, type ComputeLimits } from "./compute-limits.js";
import { InFlightTracker } from "./in-flight-tracker.js";
import { RequestQueue } from "./request-queue.js";
import { createRoutes } from "./routes.js";
import type { ServerBackends, ServerRuntime } from "./server-runtime.js";

export interface PonderServerOptions {
  /** The models searches run on. */
  backends: ServerBackends;
  /** The compute-optimal policy that `ponder/auto:<budget>` runs; without one, `auto` is not offered. */
  policy?: ComputeOptimalPolicy | undefined;
  /** What a request naming no strategy, budget or seed runs (default: weighted-best-of-n with a verifier, else majority; budget 8; seed 0). */
  defaults?: { strategy?: string; budget?: number; seed?: number };
  /** Per-request compute caps (defaults: 64 generations, 1024 tokens per solution, 65 536 tokens per request). */
  limits?: Partial<ComputeLimits>;
  /** When set, every `/v1` route requires `Authorization: Bearer <apiKey>`. */
  apiKey?: string | undefined;
  /** Largest request body, in bytes (default 1 MiB). */
  bodyLimitBytes?: number;
  /** Searches running at once (default 4). */
  concurrency?: number;
  /** Requests waiting beyond those; one more gets 429 with Retry-After (default 64). */
  maxQueued?: number;
  /** Milliseconds between keep-alive comments on a silent stream (default 15 000). */
  keepAliveMs?: number;
  /** One line per request (never keys or bodies); default silent. */
  log?: (line: string) => void;
}

export interface ServerStats {
  running: number;
  queued: number;
  inFlight: number;
  completed: number;
  failed: number;
  /** Refused with 429 because the queue was full. */
  rejected: number;
  /** The client went away before its answer. */
  cancelled: number;
}

export interface PonderServer {
  /** The hono app; `app.fetch(request)` answers without a socket. */
  readonly app: Hono;
  /** Starts listening (default 127.0.0.1:8000; port 0 picks a free one); resolves with the base URL. */
  listen(options?: { port?: number; host?: string }): Promise<{ url: string; port: number; host: string }>;
  /**
   * Graceful shutdown: stops accepting connections, answers new requests on open ones with 503,
   * lets admitted requests (running and queued) finish, and after `graceMs` (default 30 000)
   * cancels what is left. Resolves with how many requests had to be cancelled.
   */
  close(options?: { graceMs?: number }): Promise<{ cancelled: number }>;
  stats(): ServerStats;
}

/**
 * An OpenAI-compatible server that answers each request by running a test-time compute strategy
 * on the given backends.
 * @example
 * const server = createServer({ backends: { generator, verifier, answers: mathAnswerReader } });
 * const { url } = await server.listen({ port: 8000 });   // http://127.0.0.1:8000
 * // … later, on SIGTERM:
 * await server.close({ graceMs: 30_000 });
 */
export function createServer(options: PonderServerOptions): PonderServer {
  const { backends, policy, apiKey, bodyLimitBytes = 1 << 20, concurrency = 4, maxQueued = 64, keepAliveMs = 15_000, log = () => {} } = options;
  const bad = (field: string, value: unknown, accepted: string) => new InvalidOptionError({ field, value, accepted, where: "createServer" });
  if (!backends?.generator || !backends.answers) throw bad("backends", backends, "{ generator, answers, verifier?, reviser?, upstreams? }");
  for (const [name, generator] of Object.entries(backends.upstreams ?? {})) {
    if (!/^[\w.-]+(\/[\w.-]+)*$/.test(name)) throw bad("backends.upstreams", name, "names of letters, digits, '.', '-', '_' and '/' (they follow the strategy in a model name)");
    if (typeof generator?.generate !== "function") throw bad(`backends.upstreams.${name}`, generator, "a Generator");
  }
  if (apiKey !== undefined && apiKey.length === 0) throw bad("apiKey", "(empty)", "a non-empty key, or no key for an open server");
  if (!Number.isInteger(bodyLimitBytes) || bodyLimitBytes < 1024) throw bad("bodyLimitBytes", bodyLimitBytes, "an integer ≥ 1024");
  if (!(keepAliveMs >= 100)) throw bad("keepAliveMs", keepAliveMs, "a number ≥ 100");
  const limits = validateLimits({ ...DEFAULT_LIMITS, ...options.limits });
  const hasVerifier = backends.verifier !== undefined;
  const defaults = { strategy: hasVerifier ? "weighted-best-of-n" : "majority", budget: Math.min(8, limits.maxBudget), seed: 0, ...options.defaults };
  const entry = strategies[defaults.strategy];
  if (!entry) throw bad("defaults.strategy", defaults.strategy, Object.keys(strategies).join(", "));
  if (entry.needsVerifier && !hasVerifier) throw bad("defaults.strategy", defaults.strategy, "a strategy that needs no verifier (majority, revisions), or give a verifier");
  if (defaults.strategy === "auto" && !policy) throw bad("defaults.strategy", defaults.strategy, "another strategy, or give a policy");
  if (!Number.isInteger(defaults.budget) || defaults.budget < 1 || defaults.budget > limits.maxBudget) throw bad("defaults.budget", defaults.budget, `an integer in [1, ${limits.maxBudget}] (limits.maxBudget)`);
  if (!Number.isInteger(defaults.seed)) throw bad("defaults.seed", defaults.seed, "an integer");

  const runtime: ServerRuntime = {
    backends,
    context: { strategies, hasVerifier, policy, defaults, limits, upstreams: Object.keys(backends.upstreams ?? {}) },
    queue: new RequestQueue({ concurrency, maxQueued }),
    inFlight: new InFlightTracker(),
    draining: false,
    keepAliveMs,
    // Lines can quote a backend's URL or error: credentials and the server's own key are masked.
    log: (line) => log(redactCredentials(line, apiKey ? [apiKey] : [])),
    logged: new WeakSet(),
    counts: { completed: 0, failed: 0, rejected: 0, cancelled: 0 },
  };
  const app = createRoutes(runtime, { apiKey, bodyLimitBytes });
  let http: Server | null = null;
  let closing: Promise<{ cancelled: number }> | null = null;

  return {
    app,
    async listen({ port = 8000, host = "127.0.0.1" } = {}) {
      if (http) throw bad("listen", "called twice", "one listen() per server");
      if (!Number.isInteger(port) || port < 0 || port > 65_535) throw bad("port", port, "an integer in [0, 65535]");
      const server = createAdaptorServer({ fetch: app.fetch }) as Server;
      http = server;
      await new Promise<void>((resolve, reject) => {
        server.once("error", (error: NodeJS.ErrnoException) => reject(listenError(error, host, port)));
        server.listen(port, host, () => resolve());
      });
      const address = server.address() as AddressInfo;
      const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
      return { url: `http://${shown}:${address.port}`, port: address.port, host: address.address };
    },
    close({ graceMs = 30_000 } = {}) {
      closing ??= shutdown(runtime, http, graceMs);
      return closing;
    },
    stats: () => ({ running: runtime.queue.running, queued: runtime.queue.queued, inFlight: runtime.inFlight.count, ...runtime.counts }),
  };
}

/** Checks that `host:port` can be bound (then frees it), so a bad address is refused before models load. */
export async function checkListen(host: string, port: number): Promise<void> {
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", (error: NodeJS.ErrnoException) => reject(listenError(error, host, port)));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** A failure to listen as the flag at fault: the host cannot be resolved or bound, or the port is taken or privileged. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const bad = (field: string, value: unknown, accepted: string) => new InvalidOptionError({ field, value, accepted, where: "listen" });
  switch (error.code) {
    case "EADDRINUSE":
      return bad("port", port, `a free port (${host}:${port} is in use)`);
    case "EACCES":
      return bad("port", port, `a port this user may bind (${port} needs privileges), e.g. 8000`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
      return bad("host", host, "an address or name of this machine, such as 127.0.0.1, ::1, 0.0.0.0 or localhost (it does not resolve)");
    case "EADDRNOTAVAIL":
    case "EAFNOSUPPORT":
    case "EINVAL":
      return bad("host", host, "an address of this machine's interfaces, such as 127.0.0.1, ::1 or 0.0.0.0 (it is not one)");
    default:
      return error;
  }
}

async function shutdown(runtime: ServerRuntime, http: Server | null, graceMs: number): Promise<{ cancelled: number }> {
  runtime.draining = true;
  const closed = http ? new Promise<void>((resolve) => http.close(() => resolve())) : Promise.resolve();
  http?.closeIdleConnections();
  let cancelled = 0;
  const finished = await Promise.race([runtime.inFlight.idle().then(() => true), delay(graceMs).then(() => false)]);
  if (!finished) {
    cancelled = runtime.inFlight.count;
    runtime.inFlight.cancelAll(`shutdown: ${cancelled} requests still running after the ${graceMs} ms grace period`);
    await Promise.race([runtime.inFlight.idle(), delay(2_000)]);
  }
  // Connections that carried the last answers are idle now; any still busy are past saving.
  http?.closeIdleConnections();
  const stragglers = setTimeout(() => http?.closeAllConnections(), 1_000);
  await closed;
  clearTimeout(stragglers);
  return { cancelled };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
