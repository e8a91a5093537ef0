import { PonderError } from "../../core/errors/ponder-error.js";

/** A judge model's answer holds no readable score. Never read as a zero: a judge that cannot answer is broken, not negative. */
export class JudgeVerdictError extends PonderError {
  override name = "JudgeVerdictError";
  readonly problemId: string;
  /** The judge's text (at most 500 characters). */
  readonly verdict: string;

  constructor({ problemId, verdict, reason }: { problemId: string; verdict: string; reason: string }) {
    const shown = verdict.length > 500 ? `${verdict.slice(0, 497)}...` : verdict;
    super(`judge verdict for problem ${problemId} is unreadable: ${reason}; the judge wrote ${JSON.stringify(shown.length > 120 ? `${shown.slice(0, 117)}...` : shown)}`);
    this.problemId = problemId;
    this.verdict = shown;
  }
}
