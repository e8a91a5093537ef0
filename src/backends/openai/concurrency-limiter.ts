import { AbortedError, throwIfAborted } from "../../core/errors/aborted-error.js";
import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";

/**
 * Runs at most `limit` tasks at once; the rest wait in arrival order. A waiting task whose signal
 * aborts leaves the queue at once, so cancelled work never holds a place.
 */
export class ConcurrencyLimiter {
  readonly limit: number;
  #active = 0;
  readonly #queue: { start: () => void }[] = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new InvalidOptionError({ field: "maxConcurrency", value: limit, accepted: "an integer ≥ 1" });
    this.limit = limit;
  }

  /** Tasks running now. */
  get active(): number {
    return this.#active;
  }

  /** Tasks waiting for a place. */
  get queued(): number {
    return this.#queue.length;
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.#acquire(signal);
    try {
      return await task();
    } finally {
      this.#active--;
      this.#queue.shift()?.start();
    }
  }

  async #acquire(signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    if (this.#active < this.limit) {
      this.#active++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const entry = {
        start: () => {
          signal?.removeEventListener("abort", onAbort);
          this.#active++;
          resolve();
        },
      };
      const onAbort = () => {
        const i = this.#queue.indexOf(entry);
        if (i >= 0) this.#queue.splice(i, 1);
        reject(new AbortedError({ cause: signal?.reason }));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(entry);
    });
  }
}
