/** "The answer is N" on the last non-empty line, as every synthetic reference solution ends. */
const ANSWER_LINE = /^The answer is (-?\d+)\s*$/;

/**
 * The integer a solution's answer line states, or null when its last line is not one.
 * A strict reader for labeling and benchmarks of the synthetic task; ponder's general extractor
 * (src/grading) reads the same line.
 */
export function readFinalAnswer(solution: string | readonly string[]): string | null {
  const lines = (typeof solution === "string" ? solution.split("\n") : solution).filter((l) => l.trim().length > 0);
  const last = lines[lines.length - 1];
  const match = last === undefined ? null : ANSWER_LINE.exec(last.trim());
  return match ? String(Number(match[1])) : null;
}
