import type { z } from "zod";
import { AbortedError, throwIfAborted } from "../../core/errors/aborted-error.js";
import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import { createRng } from "../../core/rng.js";
import { ConcurrencyLimiter } from "./concurrency-limiter.js";
import { OpenAIRequestError, type OpenAIRequestFailure } from "./errors/openai-request-error.js";
import {
  chatResponseSchema,
  completionResponseSchema,
  modelsResponseSchema,
  type ChatRequestBody,
  type ChatResponse,
  type CompletionRequestBody,
  type CompletionResponse,
} from "./openai-wire.js";
import type { ListedModel } from "./server-kind.js";
import { errorMessage, networkDetail } from "./failure-detail.js";
import { redactCredentials } from "../../core/redact-credentials.js";
import { printableUrl, redactSecrets } from "./redact-secrets.js";
import { backoffDelay, isRetryableStatus, retryAfterMs, sleep } from "./retry-delay.js";

export interface OpenAIClientOptions {
  /** The server's API root, e.g. `http://localhost:8000/v1` (vLLM, SGLang, llama.cpp, Ollama) or `https://api.openai.com/v1`. */
  baseURL: string;
  /** The API key. Prefer `apiKeyEnv`: a key in code or on a command line ends up in shell histories and logs. */
  apiKey?: string;
  /** Environment variable holding the API key (default `OPENAI_API_KEY`; unset means no key, as local servers want). */
  apiKeyEnv?: string;
  /** Requests in flight at once; more wait their turn (default 8). */
  maxConcurrency?: number;
  /** Further attempts after a 408/409/429/5xx, a timeout or a dropped connection (default 3). */
  maxRetries?: number;
  /** Time allowed for one attempt, response body included, in milliseconds (default 120 000). */
  timeoutMs?: number;
  /** First backoff ceiling in ms; it doubles per retry up to `retryMaxMs` (defaults 500 and 8 000). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** A `Retry-After` longer than this fails at once instead of waiting (default 60 000 ms). */
  maxRetryAfterMs?: number;
  /** Seed of the backoff jitter. */
  seed?: number;
  /** Extra request headers (their values are redacted from errors like the key). */
  headers?: Record<string, string>;
  /** Swappable `fetch`, for proxies and fault injection. */
  fetch?: typeof globalThis.fetch;
  /** Told of every retry before its wait begins (long runs report it as progress). */
  onRetry?: (event: RetryEvent) => void;
  /**
   * Retry a refused connection or a timeout here (default true). A replica set turns it off: its
   * other replicas can answer at once, while this one may be gone for good.
   */
  retryUnreachable?: boolean;
}

/** One retry about to happen. */
export interface RetryEvent {
  method: "GET" | "POST";
  url: string;
  /** The attempt that failed (1 = the first). */
  attempt: number;
  /** Retries allowed after the first attempt. */
  maxRetries: number;
  reason: OpenAIRequestFailure;
  status: number | null;
  /** What went wrong, redacted. */
  detail: string;
  /** How long the client waits before the next attempt. */
  delayMs: number;
}

export interface OpenAIResponse<T> {
  data: T;
  /** The server's request id, when it sent one. */
  requestId: string | null;
  /** Attempts it took, retries included. */
  attempts: number;
}

interface Failure {
  reason: OpenAIRequestFailure;
  status: number | null;
  requestId: string | null;
  body: string | null;
  detail: string;
  retryable: boolean;
  retryAfter: number | null;
  cause?: unknown;
}

/**
 * A small client for OpenAI-compatible HTTP APIs on the global `fetch`: a concurrency limit,
 * bounded retries with exponential backoff and full jitter (honouring `Retry-After`), a timeout
 * per attempt, and cancellation through an AbortSignal that also ends waits between attempts
 * and places in the queue. The API key is read from the environment and never appears in errors.
 * @example const client = new OpenAIClient({ baseURL: "http://localhost:8000/v1", maxConcurrency: 16 });
 */
export class OpenAIClient {
  readonly baseURL: string;
  /** The server root (the base URL without its `/v1`), where vLLM serves `/pooling` and `/classify`. */
  readonly rootURL: string;
  readonly maxRetries: number;
  readonly timeoutMs: number;
  readonly #apiKey: string | undefined;
  readonly #headers: Record<string, string>;
  readonly #secrets: string[];
  readonly #fetch: typeof globalThis.fetch;
  readonly #limiter: ConcurrencyLimiter;
  readonly #random: () => number;
  readonly #backoff: { baseMs: number; maxMs: number };
  readonly #maxRetryAfterMs: number;
  readonly #onRetry: ((event: RetryEvent) => void) | undefined;
  readonly #retryUnreachable: boolean;

  constructor({
    baseURL,
    apiKey,
    apiKeyEnv,
    maxConcurrency = 8,
    maxRetries = 3,
    timeoutMs = 120_000,
    retryBaseMs = 500,
    retryMaxMs = 8_000,
    maxRetryAfterMs = 60_000,
    seed = 0,
    headers = {},
    fetch = globalThis.fetch,
    onRetry,
    retryUnreachable = true,
  }: OpenAIClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(baseURL);
    } catch {
      throw new InvalidOptionError({ field: "baseURL", value: baseURL, accepted: "an http(s) URL such as http://localhost:8000/v1" });
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new InvalidOptionError({ field: "baseURL", value: printableUrl(baseURL), accepted: "an http(s) URL such as http://localhost:8000/v1" });
    }
    const positive = (field: string, value: number, integer: boolean, min: number) => {
      if (!(value >= min) || (integer && !Number.isInteger(value))) {
        throw new InvalidOptionError({ field, value, accepted: `${integer ? "an integer" : "a number"} ≥ ${min}` });
      }
    };
    positive("maxRetries", maxRetries, true, 0);
    positive("timeoutMs", timeoutMs, false, 1);
    positive("retryBaseMs", retryBaseMs, false, 0);
    positive("retryMaxMs", retryMaxMs, false, 0);
    positive("maxRetryAfterMs", maxRetryAfterMs, false, 0);
    this.baseURL = baseURL.replace(/\/+$/, "");
    this.rootURL = this.baseURL.replace(/\/v\d+$/, "");
    this.maxRetries = maxRetries;
    this.timeoutMs = timeoutMs;
    this.#apiKey = apiKey ?? readKey(apiKeyEnv);
    this.#headers = headers;
    this.#secrets = [this.#apiKey ?? "", ...Object.values(headers)].filter((s) => s.length > 0);
    this.#fetch = fetch;
    this.#limiter = new ConcurrencyLimiter(maxConcurrency);
    this.#random = createRng(seed);
    this.#backoff = { baseMs: retryBaseMs, maxMs: retryMaxMs };
    this.#maxRetryAfterMs = maxRetryAfterMs;
    this.#onRetry = onRetry;
    this.#retryUnreachable = retryUnreachable;
  }

  /** `POST /completions`: continuation of a raw prompt. */
  completions(body: CompletionRequestBody, signal?: AbortSignal): Promise<OpenAIResponse<CompletionResponse>> {
    return this.post(`${this.baseURL}/completions`, body, completionResponseSchema, signal);
  }

  /** `POST /chat/completions`. */
  chatCompletions(body: ChatRequestBody, signal?: AbortSignal): Promise<OpenAIResponse<ChatResponse>> {
    return this.post(`${this.baseURL}/chat/completions`, body, chatResponseSchema, signal);
  }

  /** The ids of the models the server serves (`GET /models`). */
  async models(signal?: AbortSignal): Promise<string[]> {
    return (await this.listModels(signal)).map((m) => m.id);
  }

  /**
   * The models the server serves, with what each server adds (llama.cpp's `meta.n_params`, owners).
   * `firstContact` waits at most `min(timeoutMs, 10 s)` and does not retry a refused connection or
   * a timeout: when nothing listens there the caller should hear so at once, not after the retries
   * a busy server deserves. A server that answers 503 while it loads is still retried.
   */
  async listModels(signal?: AbortSignal, { firstContact = false }: { firstContact?: boolean } = {}): Promise<ListedModel[]> {
    const limits = firstContact ? { retryUnreachable: false, timeoutMs: Math.min(this.timeoutMs, 10_000) } : {};
    const response = await this.send("GET", `${this.baseURL}/models`, undefined, modelsResponseSchema, signal, limits);
    return response.data.data;
  }

  /** `POST` JSON to any URL of this server and check the answer against `schema`. */
  post<T>(url: string, body: unknown, schema: z.ZodType<T>, signal?: AbortSignal): Promise<OpenAIResponse<T>> {
    return this.send("POST", url, body, schema, signal);
  }

  /**
   * `POST` JSON and read the answer as it streams (server-sent events): `read` gets the body and
   * `close`, which ends the connection so that the server stops generating. It runs within the
   * request's concurrency slot and `timeoutMs`. Failures before the body starts are retried like any
   * call; once `read` has begun, nothing is retried.
   */
  async stream<T>(url: string, body: unknown, read: (body: ReadableStream<Uint8Array>, close: () => void) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.#limiter.run(async () => {
      for (let attempt = 1; ; attempt++) {
        throwIfAborted(signal);
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), this.timeoutMs);
        const onAbort = () => controller.abort();
        signal?.addEventListener("abort", onAbort, { once: true });
        let failure: Failure;
        let reading = false;
        try {
          const response = await this.#fetch(url, {
            method: "POST",
            headers: { accept: "text/event-stream", "content-type": "application/json", ...(this.#apiKey ? { authorization: `Bearer ${this.#apiKey}` } : {}), ...this.#headers },
            body: JSON.stringify(body),
            signal: controller.signal,
          });
          if (response.ok && response.body) {
            reading = true;
            let closed = false;
            try {
              return await read(response.body, () => ((closed = true), controller.abort()));
            } catch (error) {
              if (signal?.aborted) throw new AbortedError({ cause: signal.reason });
              if (!closed && controller.signal.aborted) {
                throw new OpenAIRequestError({ reason: "timeout", status: response.status, requestId: null, body: null, detail: `the stream did not end within ${this.timeoutMs} ms`, url: printableUrl(url), attempts: attempt });
              }
              throw error;
            }
          }
          const safe = redactSecrets((await response.text()).slice(0, 2000), this.#secrets);
          const requestId = response.headers.get("x-request-id") ?? response.headers.get("request-id");
          const status = response.status;
          failure = { reason: "http", status, requestId, body: safe, detail: `HTTP ${status}${errorMessage(safe)}`, retryable: isRetryableStatus(status), retryAfter: retryAfterMs(response.headers) };
        } catch (cause) {
          if (reading) throw cause;
          if (signal?.aborted) throw new AbortedError({ cause: signal.reason });
          const timedOut = controller.signal.aborted;
          failure = { reason: timedOut ? "timeout" : "network", status: null, requestId: null, body: null, detail: timedOut ? `no complete response within ${this.timeoutMs} ms` : redactSecrets(redactCredentials(networkDetail(cause)), this.#secrets), retryable: true, retryAfter: null, cause };
        } finally {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
        }
        await sleep(this.#retryDelay(failure, { method: "POST", url, attempt, maxRetries: this.maxRetries, retryUnreachable: this.#retryUnreachable }), signal);
      }
    }, signal);
  }

  async send<T>(
    method: "GET" | "POST",
    url: string,
    body: unknown,
    schema: z.ZodType<T>,
    signal?: AbortSignal,
    { maxRetries = this.maxRetries, timeoutMs = this.timeoutMs, retryUnreachable = this.#retryUnreachable }: { maxRetries?: number; timeoutMs?: number; retryUnreachable?: boolean } = {},
  ): Promise<OpenAIResponse<T>> {
    return this.#limiter.run(async () => {
      for (let attempt = 1; ; attempt++) {
        const outcome = await this.#attempt(method, url, body, schema, timeoutMs, signal);
        if ("data" in outcome) return { ...outcome, attempts: attempt };
        await sleep(this.#retryDelay(outcome, { method, url, attempt, maxRetries, retryUnreachable }), signal);
      }
    }, signal);
  }

  /**
   * How long to wait before retrying a failed attempt, the retry announced; throws the request's
   * error when it is not to be retried (not retryable, out of retries, unreachable where that is not
   * retried, or a Retry-After longer than allowed).
   */
  #retryDelay(failure: Failure, { method, url, attempt, maxRetries, retryUnreachable }: { method: "GET" | "POST"; url: string; attempt: number; maxRetries: number; retryUnreachable: boolean }): number {
    const error = (detail = failure.detail) => new OpenAIRequestError({ ...failure, detail, method, url: printableUrl(url), attempts: attempt, cause: failure.cause });
    const unreachable = failure.reason === "network" || failure.reason === "timeout";
    if (!failure.retryable || attempt > maxRetries || (unreachable && !retryUnreachable)) throw error();
    let delayMs = backoffDelay(attempt - 1, this.#backoff, this.#random);
    if (failure.retryAfter !== null) {
      if (failure.retryAfter > this.#maxRetryAfterMs) {
        throw error(`${failure.detail}; the server asked to retry after ${Math.ceil(failure.retryAfter / 1000)} s, longer than maxRetryAfterMs (${this.#maxRetryAfterMs} ms)`);
      }
      delayMs = failure.retryAfter;
    }
    this.#onRetry?.({ method, url: printableUrl(url), attempt, maxRetries, reason: failure.reason, status: failure.status, detail: failure.detail, delayMs });
    return delayMs;
  }

  async #attempt<T>(method: string, url: string, body: unknown, schema: z.ZodType<T>, timeoutMs: number, signal?: AbortSignal): Promise<{ data: T; requestId: string | null } | Failure> {
    throwIfAborted(signal);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    let requestId: string | null = null;
    try {
      const response = await this.#fetch(url, {
        method,
        headers: {
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...(this.#apiKey ? { authorization: `Bearer ${this.#apiKey}` } : {}),
          ...this.#headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
      });
      requestId = response.headers.get("x-request-id") ?? response.headers.get("request-id");
      const text = await response.text();
      const safe = redactSecrets(text.slice(0, 2000), this.#secrets);
      if (!response.ok) {
        return {
          reason: "http",
          status: response.status,
          requestId,
          body: safe,
          detail: `HTTP ${response.status}${errorMessage(safe)}`,
          retryable: isRetryableStatus(response.status),
          retryAfter: retryAfterMs(response.headers),
        };
      }
      const malformed = (detail: string): Failure => ({ reason: "malformed", status: response.status, requestId, body: safe, detail, retryable: false, retryAfter: null });
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return malformed(`the response is not JSON: ${JSON.stringify(safe.slice(0, 120))}`);
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return malformed(`unexpected response shape at ${issue?.path.join(".") || "the top level"}: ${issue?.message ?? "invalid"}`);
      }
      return { data: parsed.data, requestId };
    } catch (cause) {
      if (signal?.aborted) throw new AbortedError({ cause: signal.reason });
      const timedOut = controller.signal.aborted;
      return {
        reason: timedOut ? "timeout" : "network",
        status: null,
        requestId,
        body: null,
        // Node's fetch quotes a URL with credentials in its error: mask them along with the key.
        detail: timedOut ? `no complete response within ${timeoutMs} ms` : redactSecrets(redactCredentials(networkDetail(cause)), this.#secrets),
        retryable: true,
        retryAfter: null,
        cause: timedOut ? undefined : cause,
      };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }
}

function readKey(variable: string | undefined): string | undefined {
  const value = process.env[variable ?? "OPENAI_API_KEY"];
  if (variable !== undefined && !value) {
    throw new InvalidOptionError({ field: "apiKeyEnv", value: variable, accepted: "the name of a set environment variable holding the API key" });
  }
  return value || undefined;
}
