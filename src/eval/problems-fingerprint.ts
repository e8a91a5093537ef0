import { createHash } from "node:crypto";
import type { Problem } from "../core/problem.js";

/** A short hash of the problems' ids, questions and gold answers, in order: equal lists, equal fingerprints. */
export function problemsFingerprint(problems: readonly Problem[]): string {
  const hash = createHash("sha256");
  for (const p of problems) hash.update(JSON.stringify([p.id, p.question, p.answer ?? null])).update("\n");
  return `${problems.length}:${hash.digest("hex").slice(0, 16)}`;
}
