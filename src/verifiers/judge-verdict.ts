/** A line "Score: N" or "Score: N/M", allowing markdown emphasis and list marks around it. */
const SCORE_LINE = /^[\s>*#_-]*score[\s*_]*[:=][\s*_]*(-?\d+(?:\.\d+)?)\s*(?:(?:\/|out of)\s*(\d+(?:\.\d+)?))?/gim;

/**
 * The score in [0, 1] that a judge's text states, or why it states none: it must contain a line
 * "Score: N" (or "Score: N/scale") with 0 ≤ N ≤ scale, and no line giving another score. Anything
 * else is unreadable; the caller raises it, never reads it as zero.
 */
export function parseJudgeVerdict(text: string, scale: number): { score: number } | { error: string } {
  const found = [...text.matchAll(SCORE_LINE)].map((m) => ({ value: Number(m[1]), outOf: m[2] === undefined ? scale : Number(m[2]) }));
  if (found.length === 0) return { error: `no line "Score: N" (N from 0 to ${scale})` };
  const distinct = [...new Set(found.map((f) => `${f.value}/${f.outOf}`))];
  if (distinct.length > 1) return { error: `several different scores (${distinct.join(", ")})` };
  const { value, outOf } = found[0]!;
  if (outOf !== scale) return { error: `a score out of ${outOf}, not out of ${scale}` };
  if (value < 0 || value > scale) return { error: `score ${value} is outside 0–${scale}` };
  return { score: value / scale };
}
