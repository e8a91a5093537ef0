import { createRng } from "../core/rng.js";
import { editDistance } from "./edit-distance.js";

/** Earlier wrong attempts (oldest first) and the correct solution a revision model learns to write after them. */
export interface RevisionPair {
  attempts: string[];
  target: string;
}

/**
 * Revision training pairs from one problem's samples (Snell et al.): each correct solution (distinct
 * texts, at most `perProblem`) gets 0 to `maxAttempts` wrong ones before it, the count drawn
 * uniformly, the last of them the wrong solution closest to it by edit distance and the others
 * drawn at random.
 */
export function pairRevisions(
  correct: readonly string[],
  wrong: readonly string[],
  { maxAttempts = 4, perProblem = 4, seed }: { maxAttempts?: number; perProblem?: number; seed: number },
): RevisionPair[] {
  const rng = createRng(seed);
  const pickIndex = (n: number) => Math.floor(rng() * n);
  const targets = [...new Set(correct)];
  const distinctWrong = [...new Set(wrong)];
  const chosen: string[] = [];
  while (chosen.length < perProblem && targets.length > 0) chosen.push(targets.splice(pickIndex(targets.length), 1)[0]!);

  return chosen.map((target) => {
    const count = pickIndex(Math.min(maxAttempts, distinctWrong.length) + 1);
    if (count === 0) return { attempts: [], target };
    let closest = 0;
    for (let i = 1; i < distinctWrong.length; i++) {
      if (editDistance(target, distinctWrong[i]!) < editDistance(target, distinctWrong[closest]!)) closest = i;
    }
    const rest = distinctWrong.filter((_, i) => i !== closest);
    const earlier: string[] = [];
    while (earlier.length < count - 1) earlier.push(rest.splice(pickIndex(rest.length), 1)[0]!);
    return { attempts: [...earlier, distinctWrong[closest]!], target };
  });
}
