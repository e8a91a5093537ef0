/** A question to answer, as every strategy, backend and dataset sees it. */
export interface Problem {
  /** Stable identifier, unique within its dataset. */
  id: string;
  /** The question text. */
  question: string;
  /** Gold final answer when known; used by evaluation only, never by a strategy. */
  answer?: string;
  /** Difficulty level when the dataset defines one (MATH level 1–5, synthetic operation count). */
  level?: number;
  /** Dataset-specific fields, carried through untouched. */
  meta?: Record<string, unknown>;
}
