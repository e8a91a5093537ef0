import { createHash } from "node:crypto";
import type { Problem } from "../core/problem.js";
import { currentRequestScope } from "../core/request-scope.js";
import { addUsage, type Usage } from "../core/usage.js";

/**
 * What is known of each step prefix, by (problem, step prefix), least recently used dropped first.
 * A prefix's score never changes (the reward model reads causally), so beam search never pays twice
 * for the steps a beam already had. In-flight values are shared: a concurrent call asking for a
 * prefix being scored waits for that result instead of computing it again.
 * `T` is what is remembered per prefix (a score, or why it could not be read).
 *
 * Within a request scope (a strategy run) the memo is the request's own: a prefix another run
 * scored is scored again, so what a run is charged does not depend on which runs went before it.
 */
export class StepScoreMemo<T = number> {
  readonly capacity: number;
  readonly #shared = new Map<string, Promise<T>>();

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** Entries held for the current request (or, outside any, for every caller). */
  get size(): number {
    return this.#entries().size;
  }

  #entries(): Map<string, Promise<T>> {
    return currentRequestScope()?.stateOf(this, () => new Map<string, Promise<T>>()) ?? this.#shared;
  }

  /** One key per step prefix, each a hash of the previous key and the step: keys stay short however long the solution. */
  static keys(scope: string, problem: Problem, steps: readonly string[]): string[] {
    let key = createHash("sha256").update(`${scope}\u0000${problem.id}\u0000${problem.question}`).digest("base64");
    return steps.map((step) => (key = createHash("sha256").update(`${key}\u0000${step}`).digest("base64")));
  }

  /**
   * The value of every key. Missing ones are computed by `compute(missing indices)`, which returns
   * their values in that order; only their usage is reported (shared results cost this call nothing).
   */
  async resolve(keys: readonly string[], compute: (missing: number[]) => Promise<{ scores: T[]; usage: Usage }>): Promise<{ scores: T[]; usage: Usage }> {
    if (this.capacity === 0) return compute(keys.map((_, i) => i));
    const entries = this.#entries();
    const known = keys.map((key) => this.#touch(entries, key));
    const missing = known.flatMap((promise, i) => (promise ? [] : [i]));
    let usage: Usage = {};
    if (missing.length > 0) {
      const fresh = await this.#compute(entries, keys, missing, compute);
      for (const [j, i] of missing.entries()) known[i] = Promise.resolve(fresh.scores[j]!);
      usage = fresh.usage;
    }
    const settled = await Promise.allSettled(known as Promise<T>[]);
    const failed = settled.flatMap((s, i) => (s.status === "rejected" ? [i] : []));
    if (failed.length === 0) return { scores: settled.map((s) => (s as PromiseFulfilledResult<T>).value), usage };
    // Another call's attempt at a shared prefix failed (it was aborted, say): compute those here.
    const retry = await compute(failed);
    const scores = settled.map((s) => (s.status === "fulfilled" ? s.value : undefined)) as T[];
    failed.forEach((i, j) => (scores[i] = retry.scores[j]!));
    return { scores, usage: addUsage(usage, retry.usage) };
  }

  #compute(entries: Map<string, Promise<T>>, keys: readonly string[], missing: number[], compute: (missing: number[]) => Promise<{ scores: T[]; usage: Usage }>) {
    const result = compute(missing);
    for (const [j, i] of missing.entries()) {
      const key = keys[i]!;
      const promise = result.then((r) => r.scores[j]!);
      promise.catch(() => entries.get(key) === promise && entries.delete(key));
      this.#set(entries, key, promise);
    }
    return result;
  }

  #touch(entries: Map<string, Promise<T>>, key: string): Promise<T> | undefined {
    const found = entries.get(key);
    if (found) {
      entries.delete(key);
      entries.set(key, found);
    }
    return found;
  }

  #set(entries: Map<string, Promise<T>>, key: string, value: Promise<T>): void {
    entries.delete(key);
    entries.set(key, value);
    while (entries.size > this.capacity) entries.delete(entries.keys().next().value!);
  }
}
