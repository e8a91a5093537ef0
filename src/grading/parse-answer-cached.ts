import type { Answer } from "./math-node.js";
import { parseAnswer } from "./parse-answer.js";

const LIMIT = 4096;
const cache = new Map<string, Answer[]>();

/**
 * `parseAnswer` with a bounded cache: strategies ask for the same candidate answers again and
 * again. Entries are never mutated by the comparers, so sharing them is safe.
 */
export function parseAnswerCached(raw: string): Answer[] {
  const hit = cache.get(raw);
  if (hit) {
    cache.delete(raw);
    cache.set(raw, hit);
    return hit;
  }
  const parsed = parseAnswer(raw);
  cache.set(raw, parsed);
  if (cache.size > LIMIT) cache.delete(cache.keys().next().value!);
  return parsed;
}
