import { PonderError } from "../../../core/errors/ponder-error.js";

/** Why a request to an OpenAI-compatible server failed, in a form a program can branch on. */
export type OpenAIRequestFailure =
  /** The server answered with an error status. */
  | "http"
  /** An attempt took longer than the per-attempt timeout. */
  | "timeout"
  /** The connection failed or was reset before a response arrived. */
  | "network"
  /** The server answered 2xx with a body that is not what the endpoint returns. */
  | "malformed";

/**
 * Every failed request to an OpenAI-compatible server, after its retries. The message and fields
 * never contain the API key: error bodies are redacted before they are kept, because some servers
 * echo request headers back.
 */
export class OpenAIRequestError extends PonderError {
  override name = "OpenAIRequestError";
  readonly reason: OpenAIRequestFailure;
  /** HTTP status of the last attempt, or null when no response arrived. */
  readonly status: number | null;
  /** The request's method. */
  readonly method: "GET" | "POST";
  /** The endpoint, without credentials or query string. */
  readonly url: string;
  /** The server's request id (`x-request-id`) of the last attempt, when it sent one. */
  readonly requestId: string | null;
  /** Attempts made, retries included. */
  readonly attempts: number;
  /** The start of the last error body, redacted. */
  readonly body: string | null;

  constructor(init: {
    reason: OpenAIRequestFailure;
    status: number | null;
    method?: "GET" | "POST";
    url: string;
    requestId: string | null;
    attempts: number;
    body: string | null;
    detail: string;
    cause?: unknown;
  }) {
    const id = init.requestId ? ` (request id ${init.requestId})` : "";
    const tries = init.attempts === 1 ? "1 attempt" : `${init.attempts} attempts`;
    const method = init.method ?? "POST";
    super(`${method} ${init.url} failed after ${tries}: ${init.detail}${id}`, { cause: init.cause });
    this.reason = init.reason;
    this.status = init.status;
    this.method = method;
    this.url = init.url;
    this.requestId = init.requestId;
    this.attempts = init.attempts;
    this.body = init.body;
  }
}
