import type { Candidate } from "../core/candidate.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { deriveSeed } from "../core/rng.js";
import type { SearchRun } from "./search-run.js";

/** Shared pieces of the step-wise searches (beam search, lookahead, DVTS). */

/** True once a candidate cannot be extended (it ended, or was cut off at a length limit). */
export function isDone(c: Candidate): boolean {
  return c.finishReason !== "step";
}

/** `n` first steps sampled from the question. */
export async function sampleFirstSteps(run: SearchRun, n: number, seed: number, label: string | number = 0): Promise<Candidate[]> {
  const continuations = await run.generate({ until: "step", n, seed: deriveSeed(seed, "first", label) });
  return continuations.map((c) => run.candidate(c.steps, c.finishReason));
}

/**
 * Like Promise.all, but waits for every promise before rethrowing the first failure, so no call
 * is still running (and spending uncounted compute) when a strategy stops and reports its usage.
 */
export async function allSettled<T>(promises: readonly (T | Promise<T>)[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/** Each parent extended by `width` sampled next steps (or `width[j]` for parent j), all parents at once (the engine batches them). */
export async function expand(run: SearchRun, parents: readonly Candidate[], width: number | readonly number[], seed: number, round: number): Promise<Candidate[]> {
  const children = await allSettled(
    parents.map(async (parent, j) => {
      const n = typeof width === "number" ? width : width[j]!;
      if (n === 0) return [];
      const continuations = await run.generate({ until: "step", prefix: parent.steps, n, seed: deriveSeed(seed, "expand", round, j, parent.steps.join("\u0000")) });
      return continuations.map((c) => run.candidate([...parent.steps, ...c.steps], c.finishReason));
    }),
  );
  return children.flat();
}

/**
 * `total` children spread over `parents` beams as evenly as possible, the first beams (the best
 * scored) taking the remainder: a round samples the full budget even when duplicates or finished
 * solutions left fewer than N/M beams, as the published implementation does by repeating the
 * beams it kept (huggingface/search-and-learn). Otherwise a policy that often writes the same step
 * collapses N = 16 into a search of width 4, and a larger budget buys nothing.
 */
export function spreadChildren(total: number, parents: number): number[] {
  return Array.from({ length: parents }, (_, j) => Math.floor(total / parents) + (j < total % parents ? 1 : 0));
}

/** Drops candidates whose steps repeat an earlier candidate's (keeps the first). */
export function dropDuplicates(candidates: readonly Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((c) => {
    const key = `${c.finishReason}\u0001${c.steps.join("\u0000")}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The `k` best-scored candidates; ties keep the earlier one, so the order is deterministic. */
export function topK(candidates: readonly Candidate[], k: number): Candidate[] {
  return candidates
    .map((c, i) => [c, i] as const)
    .sort((a, b) => (b[0].score ?? 0) - (a[0].score ?? 0) || a[1] - b[1])
    .slice(0, k)
    .map(([c]) => c);
}

/** Checks a beam width against the budget: at least 1, and dividing the number of beams. */
export function checkBeamWidth(width: number, beams: number, where: string): void {
  if (!Number.isInteger(width) || width < 1) throw new InvalidOptionError({ field: "beamWidth", value: width, accepted: "an integer ≥ 1", where });
  if (beams < width || beams % width !== 0) {
    throw new InvalidOptionError({ field: "beamWidth", value: width, accepted: `a divisor of the ${beams} beams the budget allows (the budget must be a multiple of the beam width)`, where });
  }
}
