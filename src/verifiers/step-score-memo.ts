import { createHash } from "node:crypto";
import type { Problem } from "../core/problem.js";
import { addUsage, type Usage } from "../core/usage.js";

/**
 * Step scores by (problem, step prefix), least recently used dropped first. A prefix's score never
 * changes (the reward model reads causally), so beam search never pays twice for the steps a beam
 * already had. In-flight scores are shared: a concurrent call asking for a prefix being scored
 * waits for that result instead of computing it again.
 */
export class StepScoreMemo {
  readonly capacity: number;
  readonly #entries = new Map<string, Promise<number>>();

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** One key per step prefix, each a hash of the previous key and the step: keys stay short however long the solution. */
  static keys(scope: string, problem: Problem, steps: readonly string[]): string[] {
    let key = createHash("sha256").update(`${scope}\u0000${problem.id}\u0000${problem.question}`).digest("base64");
    return steps.map((step) => (key = createHash("sha256").update(`${key}\u0000${step}`).digest("base64")));
  }

  /**
   * The score of every key. Missing ones are computed by `compute(missing indices)`, which returns
   * their scores in that order; only their usage is reported (shared results cost this call nothing).
   */
  async resolve(keys: readonly string[], compute: (missing: number[]) => Promise<{ scores: number[]; usage: Usage }>): Promise<{ scores: number[]; usage: Usage }> {
    if (this.capacity === 0) {
      const all = keys.map((_, i) => i);
      return compute(all);
    }
    const known = keys.map((key) => this.#touch(key));
    const missing = known.flatMap((promise, i) => (promise ? [] : [i]));
    let usage: Usage = {};
    if (missing.length > 0) {
      const fresh = await this.#compute(keys, missing, compute);
      for (const [j, i] of missing.entries()) known[i] = Promise.resolve(fresh.scores[j]!);
      usage = fresh.usage;
    }
    const settled = await Promise.allSettled(known as Promise<number>[]);
    const failed = settled.flatMap((s, i) => (s.status === "rejected" ? [i] : []));
    if (failed.length === 0) return { scores: settled.map((s) => (s as PromiseFulfilledResult<number>).value), usage };
    // Another call's attempt at a shared prefix failed (it was aborted, say): compute those here.
    const retry = await compute(failed);
    const scores = settled.map((s) => (s.status === "fulfilled" ? s.value : Number.NaN));
    failed.forEach((i, j) => (scores[i] = retry.scores[j]!));
    return { scores, usage: addUsage(usage, retry.usage) };
  }

  #compute(keys: readonly string[], missing: number[], compute: (missing: number[]) => Promise<{ scores: number[]; usage: Usage }>) {
    const result = compute(missing);
    for (const [j, i] of missing.entries()) {
      const key = keys[i]!;
      const promise = result.then((r) => r.scores[j]!);
      promise.catch(() => this.#entries.get(key) === promise && this.#entries.delete(key));
      this.#set(key, promise);
    }
    return result;
  }

  #touch(key: string): Promise<number> | undefined {
    const found = this.#entries.get(key);
    if (found) {
      this.#entries.delete(key);
      this.#entries.set(key, found);
    }
    return found;
  }

  #set(key: string, value: Promise<number>): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value!);
  }
}
