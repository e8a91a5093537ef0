import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { LlamaEngine } from "../src/backends/llama/llama-engine.js";
import { EngineRoutes, type EngineRoutesOptions, HttpError } from "./loopback-engine-routes.js";

/** A scripted failure, taken by the next request that arrives (any route), in injection order. */
export type Fault =
  /** Answer with this status (and `Retry-After` / `retry-after-ms` headers when given). */
  | { status: number; retryAfter?: string; retryAfterMs?: string; body?: string }
  /** Close the connection without answering. */
  | { drop: true }
  /** Answer normally, but only after this long (past a client's timeout, usually). */
  | { delayMs: number }
  /** Answer 401 quoting the request's Authorization header, as careless servers do. */
  | { echoAuthorization: true };

export interface LoopbackServerOptions extends EngineRoutesOptions {
  /** When set, requests must carry `Authorization: Bearer <apiKey>`; others get a 401 that quotes what they sent. */
  apiKey?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
}

export interface LoopbackServer {
  /** The API root to give clients, `http://127.0.0.1:<port>/v1`. */
  readonly baseURL: string;
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Queues faults for the next requests. */
  inject(...faults: Fault[]): void;
  close(): Promise<void>;
}

/**
 * A real OpenAI-compatible HTTP server on loopback (port 0) serving `/v1/completions`,
 * `/v1/chat/completions`, `/v1/models` and vLLM's pooling routes from the embedded engine:
 * real tokens, real log-probabilities. Server quirks (no `n`, no echo, no prefill, older vLLM
 * pooling routes) are options, and failures are injected as scripted faults. For the HTTP backend's
 * tests, and for anyone who needs an OpenAI-style endpoint without a network.
 * @example const server = await startLoopbackServer({ engine, supportsN: false });
 */
export async function startLoopbackServer(options: LoopbackServerOptions & { engine: LlamaEngine }): Promise<LoopbackServer> {
  const routes = new EngineRoutes(options);
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import("node:net").Socket>();

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { message: String(error) } });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    let body: Record<string, unknown> | null = null;
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
    } catch {
      return send(res, 400, { error: { message: "body is not JSON" } });
    }
    requests.push({ method: req.method ?? "GET", path, body });
    const fault = faults.shift();
    if (fault && "drop" in fault) {
      req.socket.destroy();
      return;
    }
    if (fault && "echoAuthorization" in fault) {
      return send(res, 401, { error: { message: `Incorrect API key provided: ${req.headers.authorization ?? "(none)"}` } });
    }
    if (fault && "status" in fault) {
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers["retry-after"] = fault.retryAfter;
      if (fault.retryAfterMs !== undefined) headers["retry-after-ms"] = fault.retryAfterMs;
      return send(res, fault.status, fault.body ?? { error: { message: `injected ${fault.status}` } }, headers);
    }
    if (fault && "delayMs" in fault) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return send(res, 401, { error: { message: `Incorrect API key provided: ${req.headers.authorization ?? "(none)"}` } });
    }
    try {
      const answer = await routes.handle(req.method ?? "GET", path, body ?? {});
      send(res, 200, answer, { "x-request-id": `loopback-${requests.length}` });
    } catch (error) {
      if (error instanceof HttpError) send(res, error.status, { error: { message: error.message } });
      else throw error;
    }
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    inject: (...more) => void faults.push(...more),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}
