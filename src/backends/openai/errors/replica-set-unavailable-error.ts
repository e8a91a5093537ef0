import { PonderError } from "../../../core/errors/ponder-error.js";

/** No replica of a set could answer a request: each one is named with why it failed last. */
export class ReplicaSetUnavailableError extends PonderError {
  override name = "ReplicaSetUnavailableError";
  /** Per replica URL, its last failure ("up" when it was never tried, e.g. it is at capacity). */
  readonly replicas: Record<string, string>;

  constructor({ replicas, waitedMs, cause }: { replicas: Record<string, string>; waitedMs: number; cause?: unknown }) {
    const list = Object.entries(replicas).map(([url, why]) => `${url} (${why})`).join("; ");
    const waited = waitedMs > 0 ? ` (waited ${Math.round(waitedMs / 1000)} s for one to come back)` : "";
    super(`no replica answered${waited}: ${list}`, { cause });
    this.replicas = replicas;
  }
}
