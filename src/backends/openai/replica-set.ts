import { AbortedError, throwIfAborted } from "../../core/errors/aborted-error.js";
import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import { OpenAIRequestError } from "./errors/openai-request-error.js";
import { ReplicaSetUnavailableError } from "./errors/replica-set-unavailable-error.js";
import { ServerUnreachableError } from "./errors/server-unreachable-error.js";
import { printableUrl } from "./redact-secrets.js";
import type { ReplicaEntry } from "./replica-list.js";
import { rendezvousOrder, type ReplicaRoute } from "./replica-route.js";

/** One replica: what it serves through (`target`, once connected) and whether it is in the set now. */
export interface Replica<T> {
  readonly url: string;
  readonly entry: ReplicaEntry;
  target: T | null;
  up: boolean;
  /** Why it was taken out last (redacted), for errors and logs. */
  lastFailure: string | null;
}

/** A replica taken out of or put back into the set. */
export interface ReplicaEvent {
  type: "taken-out" | "put-back";
  url: string;
  detail: string;
  /** Replicas in the set after the change. */
  up: number;
  of: number;
}

export interface ReplicaSetOptions<T> {
  entries: readonly ReplicaEntry[];
  route: ReplicaRoute;
  /** Connects to one replica (and checks it serves the right model); also the probe of a replica taken out. */
  connect: (entry: ReplicaEntry) => Promise<T>;
  /** First wait before probing a replica taken out, in ms; doubles per failed probe up to 30 s. */
  probeMs?: number;
  onEvent?: (event: ReplicaEvent) => void;
}

const MAX_PROBE_MS = 30_000;

/**
 * The health and routing of several replicas of one model. A replica that fails is taken out and
 * probed (reconnected) with a doubling wait until it answers, then put back. `choose` routes a key
 * to a replica that is in the set: with `affinity`, always the same one while it stays (rendezvous
 * hashing, so a replica leaving moves only its own keys); with `round-robin`, each in turn.
 */
export class ReplicaSet<T> {
  readonly replicas: readonly Replica<T>[];
  readonly route: ReplicaRoute;
  readonly #o: ReplicaSetOptions<T>;
  readonly #timers = new Set<NodeJS.Timeout>();
  #waiters: (() => void)[] = [];
  #turn = 0;
  #closed = false;

  private constructor(options: ReplicaSetOptions<T>) {
    this.#o = options;
    this.route = options.route;
    this.replicas = options.entries.map((entry) => ({ url: printableUrl(entry.url), entry, target: null, up: false, lastFailure: null }));
  }

  /**
   * Connects to every replica at once. Replicas that cannot be reached are taken out and probed;
   * any other refusal (a wrong model name) fails here, naming the replica. At least one must answer.
   */
  static async open<T>(options: ReplicaSetOptions<T>): Promise<ReplicaSet<T>> {
    if (options.entries.length === 0) throw new InvalidOptionError({ field: "replicas", value: "", accepted: "at least one replica URL" });
    const set = new ReplicaSet(options);
    const outcomes = await Promise.allSettled(set.replicas.map((r) => options.connect(r.entry)));
    let firstFailure: unknown = null;
    outcomes.forEach((outcome, i) => {
      const replica = set.replicas[i]!;
      if (outcome.status === "fulfilled") {
        replica.target = outcome.value;
        replica.up = true;
      } else if (isUnreachable(outcome.reason)) {
        firstFailure ??= outcome.reason;
        set.takeOut(replica, outcome.reason);
      } else {
        set.close();
        throw outcome.reason;
      }
    });
    if (!set.replicas.some((r) => r.up)) {
      set.close();
      throw new ReplicaSetUnavailableError({ replicas: Object.fromEntries(set.replicas.map((r) => [r.url, r.lastFailure ?? "unreachable"])), waitedMs: 0, cause: firstFailure });
    }
    return set;
  }

  /** Replicas in the set now. */
  get upCount(): number {
    return this.replicas.filter((r) => r.up).length;
  }

  /** The replica to send `key` to, skipping `exclude`; null when none is in the set. */
  choose(key: string, exclude: ReadonlySet<Replica<T>> = new Set()): Replica<T> | null {
    const candidates = this.replicas.filter((r) => r.up && r.target !== null && !exclude.has(r));
    if (candidates.length === 0) return null;
    if (this.route === "round-robin") return candidates[this.#turn++ % candidates.length]!;
    return rendezvousOrder(candidates, key)[0]!;
  }

  /** Takes a failed replica out of the set and starts probing it. */
  takeOut(replica: Replica<T>, error: unknown): void {
    replica.lastFailure = describe(error);
    if (!replica.up && replica.target !== null) return;
    const wasUp = replica.up;
    replica.up = false;
    if (wasUp || replica.target === null) this.#o.onEvent?.({ type: "taken-out", url: replica.url, detail: replica.lastFailure, up: this.upCount, of: this.replicas.length });
    this.#probe(replica, this.#o.probeMs ?? 1000);
  }

  /** Resolves when a replica is put back, or after `ms`; rejects when `signal` aborts. */
  waitForChange(ms: number, signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const timer = setTimeout(done, ms);
      const onAbort = () => {
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((w) => w !== done);
        reject(new AbortedError({ cause: signal?.reason }));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.push(done);
    });
  }

  /** Stops probing. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #probe(replica: Replica<T>, delayMs: number): void {
    if (this.#closed) return;
    const timer = setTimeout(async () => {
      this.#timers.delete(timer);
      try {
        const target = await this.#o.connect(replica.entry);
        if (this.#closed) return;
        replica.target = target;
        replica.up = true;
        replica.lastFailure = null;
        this.#o.onEvent?.({ type: "put-back", url: replica.url, detail: "answered a probe", up: this.upCount, of: this.replicas.length });
        for (const wake of this.#waiters.splice(0)) wake();
      } catch (error) {
        replica.lastFailure = describe(error);
        this.#probe(replica, Math.min(delayMs * 2, MAX_PROBE_MS));
      }
    }, delayMs);
    // Probing never keeps a finished process alive.
    timer.unref();
    this.#timers.add(timer);
  }
}

/** A failure that says the replica is gone or unwell (not that the request was bad): another replica should get it. */
export function isReplicaFailure(error: unknown): boolean {
  if (isUnreachable(error)) return true;
  return error instanceof OpenAIRequestError && error.reason === "http" && error.status !== null && (error.status >= 500 || error.status === 429 || error.status === 408);
}

function isUnreachable(error: unknown): boolean {
  return error instanceof ServerUnreachableError || (error instanceof OpenAIRequestError && (error.reason === "network" || error.reason === "timeout"));
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}
