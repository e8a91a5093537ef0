import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import { generateSyntheticProblem, type SyntheticProblem } from "./generate-problem.js";

/** Levels the demo models were trained and measured on: 1 to 10 operations. */
export const DEFAULT_LEVELS: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
/** Highest level the generator accepts. */
export const MAX_LEVEL = 20;

export interface SyntheticOptions {
  /** Difficulty levels (operations per problem), as numbers or a spec like "1-5" or "1,3,5". Default 1–10. */
  levels?: readonly number[] | string;
  /** Problems in all, spread evenly over the levels in turn. Default 100. */
  count?: number;
  /** Which problems; the demo models were trained on seeds ≥ 1000, so evaluation seeds below that are held out. Default 0. */
  seed?: number;
}

/**
 * The synthetic benchmark: multi-step arithmetic word problems with a gold answer, a reference
 * solution (one step per line, then "The answer is N") and a difficulty `level` on each.
 * Problem i is the same whatever `count` is, so a larger count extends a smaller one.
 * @example loadSynthetic({ levels: "1-5", count: 50, seed: 0 })
 */
export function loadSynthetic({ levels = DEFAULT_LEVELS, count = 100, seed = 0 }: SyntheticOptions = {}): SyntheticProblem[] {
  const list = typeof levels === "string" ? parseLevels(levels) : [...levels];
  if (list.length === 0) throw new InvalidOptionError({ field: "levels", value: levels, accepted: `levels between 1 and ${MAX_LEVEL}` });
  for (const level of list) {
    if (!Number.isInteger(level) || level < 1 || level > MAX_LEVEL) {
      throw new InvalidOptionError({ field: "levels", value: level, accepted: `integers from 1 to ${MAX_LEVEL}` });
    }
  }
  if (!Number.isInteger(count) || count < 1) throw new InvalidOptionError({ field: "count", value: count, accepted: "an integer ≥ 1" });
  if (!Number.isInteger(seed) || seed < 0) throw new InvalidOptionError({ field: "seed", value: seed, accepted: "an integer ≥ 0" });
  return Array.from({ length: count }, (_, i) =>
    generateSyntheticProblem({ level: list[i % list.length]!, seed, index: Math.floor(i / list.length) }),
  );
}

/** Levels from "3", "1-5", "1,3,5" or "1-3,8". */
export function parseLevels(spec: string): number[] {
  const levels: number[] = [];
  for (const part of spec.split(",").map((p) => p.trim())) {
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(part);
    if (range) {
      const [lo, hi] = [Number(range[1]), Number(range[2])];
      if (lo > hi) throw new InvalidOptionError({ field: "levels", value: spec, accepted: 'ranges written low-high, like "1-5"' });
      for (let l = lo; l <= hi; l++) levels.push(l);
    } else if (/^\d+$/.test(part)) levels.push(Number(part));
    else throw new InvalidOptionError({ field: "levels", value: spec, accepted: 'a level, a range or a list, like "3", "1-5" or "1,3,5"' });
  }
  return [...new Set(levels)];
}
