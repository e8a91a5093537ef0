import { AbortedError } from "../core/errors/aborted-error.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { ApiError } from "./errors/api-error.js";

export interface RequestQueueOptions {
  /** Searches running at once; the backends batch their calls. */
  concurrency: number;
  /** Requests waiting for a turn; one more is refused with 429. */
  maxQueued: number;
}

/** One admitted request's place. */
export interface Ticket {
  /** Requests ahead of this one when it was admitted (0: it runs at once). */
  readonly position: number;
  /** Resolves when it may run; rejects with AbortedError when `signal` fires first. */
  turn(signal?: AbortSignal): Promise<void>;
  /** Gives the place back, running or waiting. Safe to call twice. */
  release(): void;
}

interface Waiter {
  resolve: () => void;
  started: boolean;
}

/**
 * Backpressure: at most `concurrency` searches run, at most `maxQueued` wait in arrival order, and
 * a request beyond that is refused at once with 429 and a `Retry-After` estimated from recent
 * search times, rather than piling up until every client times out.
 */
export class RequestQueue {
  readonly concurrency: number;
  readonly maxQueued: number;
  #running = 0;
  readonly #waiting: Waiter[] = [];
  /** Moving average of search time in ms, for Retry-After. */
  #meanMs: number | null = null;

  constructor({ concurrency, maxQueued }: RequestQueueOptions) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new InvalidOptionError({ field: "concurrency", value: concurrency, accepted: "an integer ≥ 1", where: "createServer" });
    if (!Number.isInteger(maxQueued) || maxQueued < 0) throw new InvalidOptionError({ field: "maxQueued", value: maxQueued, accepted: "an integer ≥ 0", where: "createServer" });
    this.concurrency = concurrency;
    this.maxQueued = maxQueued;
  }

  get running(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  /** Seconds a refused client should wait: the queue ahead of it, drained at the recent pace. */
  get retryAfterSeconds(): number {
    const perTurn = this.#meanMs ?? 1000;
    return Math.max(1, Math.ceil((perTurn * (this.#waiting.length + 1)) / this.concurrency / 1000));
  }

  /** Takes a place, or throws a 429 ApiError when the queue is full. */
  admit(): Ticket {
    if (this.#running < this.concurrency && this.#waiting.length === 0) {
      this.#running++;
      return this.#ticket({ resolve: () => {}, started: true }, 0, performance.now());
    }
    if (this.#waiting.length >= this.maxQueued) {
      const seconds = this.retryAfterSeconds;
      throw new ApiError({
        status: 429,
        type: "rate_limit_error",
        code: "queue_full",
        headers: { "retry-after": String(seconds) },
        message: `the server is busy: ${this.#running} searches running and ${this.#waiting.length} waiting (the limit); retry after ${seconds} s`,
      });
    }
    let ready!: () => void;
    const started = new Promise<void>((resolve) => (ready = resolve));
    const waiter: Waiter = { resolve: ready, started: false };
    const position = this.#waiting.push(waiter);
    return this.#ticket(waiter, position, 0, started);
  }

  #ticket(waiter: Waiter, position: number, startedAt: number, started: Promise<void> = Promise.resolve()): Ticket {
    let released = false;
    let since = startedAt;
    void started.then(() => (since = performance.now()));
    return {
      position,
      turn: (signal) => {
        if (waiter.started) return Promise.resolve();
        if (signal?.aborted) return Promise.reject(new AbortedError({ cause: signal.reason }));
        return new Promise<void>((resolve, reject) => {
          const onAbort = () => reject(new AbortedError({ cause: signal!.reason }));
          signal?.addEventListener("abort", onAbort, { once: true });
          void started.then(() => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
          });
        });
      },
      release: () => {
        if (released) return;
        released = true;
        if (!waiter.started) {
          this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
          return;
        }
        this.#observe(performance.now() - since);
        this.#running--;
        this.#next();
      },
    };
  }

  #next(): void {
    while (this.#running < this.concurrency && this.#waiting.length > 0) {
      const waiter = this.#waiting.shift()!;
      waiter.started = true;
      this.#running++;
      waiter.resolve();
    }
  }

  #observe(ms: number): void {
    this.#meanMs = this.#meanMs === null ? ms : 0.8 * this.#meanMs + 0.2 * ms;
  }
}
