import { AbortedError } from "../../core/errors/aborted-error.js";

/** Statuses worth another attempt: timeouts, lock conflicts, rate limits and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Exponential backoff with full jitter: a uniform wait in [0, min(maxMs, baseMs·2^retry)).
 * Full jitter spreads clients that failed together, so they do not retry in lockstep.
 */
export function backoffDelay(retry: number, { baseMs, maxMs }: { baseMs: number; maxMs: number }, random: () => number): number {
  return random() * Math.min(maxMs, baseMs * 2 ** retry);
}

/**
 * The wait a server asked for, in milliseconds, from `retry-after-ms` (OpenAI) or `retry-after`
 * (seconds, or an HTTP date); null when it asked for none or the value is unreadable.
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number | null {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Number(ms);
  const value = headers.get("retry-after");
  if (value === null) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Waits `ms`, or rejects with AbortedError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError({ cause: signal.reason }));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError({ cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
