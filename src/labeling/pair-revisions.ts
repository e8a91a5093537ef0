import { createRng } from "../core/rng.js";
import { editDistance } from "./edit-distance.js";

/** Earlier wrong attempts (oldest first) and the correct solution a revision model learns to write after them. */
export interface RevisionPair {
  attempts: string[];
  target: string;
}

/**
 * Revision training pairs from one problem's samples (Snell et al.): up to `perProblem` pairs, each
 * a correct solution (distinct texts, taken in a random order and reused in turn when there are
 * fewer than `perProblem`) after 0 to `maxAttempts` wrong ones, the count drawn uniformly, the last
 * of them the wrong solution closest to the target by edit distance and the others drawn at random.
 * No pair appears twice, so a problem with one correct solution and one wrong one gives at most two.
 */
export function pairRevisions(
  correct: readonly string[],
  wrong: readonly string[],
  { maxAttempts = 4, perProblem = 4, seed }: { maxAttempts?: number; perProblem?: number; seed: number },
): RevisionPair[] {
  const rng = createRng(seed);
  const pickIndex = (n: number) => Math.floor(rng() * n);
  const remaining = [...new Set(correct)];
  const targets: string[] = [];
  while (remaining.length > 0) targets.push(remaining.splice(pickIndex(remaining.length), 1)[0]!);
  const distinctWrong = [...new Set(wrong)];
  const closestTo = new Map(
    targets.map((target) => {
      let closest = 0;
      for (let i = 1; i < distinctWrong.length; i++) {
        if (editDistance(target, distinctWrong[i]!) < editDistance(target, distinctWrong[closest]!)) closest = i;
      }
      return [target, closest] as const;
    }),
  );

  const pairs: RevisionPair[] = [];
  const seen = new Set<string>();
  // A few draws per wanted pair: duplicates are skipped, and small problems run out of new ones.
  for (let draw = 0; pairs.length < perProblem && draw < 4 * perProblem && targets.length > 0; draw++) {
    const target = targets[pairs.length % targets.length]!;
    const count = pickIndex(Math.min(maxAttempts, distinctWrong.length) + 1);
    const pair = count === 0 ? { attempts: [], target } : withAttempts(target, count);
    const key = JSON.stringify(pair);
    if (seen.has(key)) continue;
    seen.add(key);
    pairs.push(pair);
  }
  return pairs;

  function withAttempts(target: string, count: number): RevisionPair {
    const closest = closestTo.get(target)!;
    const rest = distinctWrong.filter((_, i) => i !== closest);
    const earlier: string[] = [];
    while (earlier.length < count - 1) earlier.push(rest.splice(pickIndex(rest.length), 1)[0]!);
    return { attempts: [...earlier, distinctWrong[closest]!], target };
  }
}
