import type { AnswerReader } from "../core/answer-reader.js";
import { throwIfAborted } from "../core/errors/aborted-error.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { callUsage } from "../core/usage.js";
import type { ScoreRequest, ScoreResult, Verifier } from "../core/verifier.js";
import { validateScoreRequests } from "./validate-score-requests.js";

/**
 * Scores 1 when a solution's final answer is the problem's gold answer and 0 otherwise: the
 * verifier a perfect reward model would be, for tests and for analysis (how much does a better
 * verifier help?). Never for real runs: it reads the gold answer.
 * @example new OracleVerifier({ answers: mathAnswerReader })
 */
export class OracleVerifier implements Verifier {
  readonly modelId = "oracle";
  readonly kind = "outcome" as const;
  readonly #answers: AnswerReader;
  readonly #join: string;

  /** `join`: what joins the steps into the solution text the reader reads (default "\n"). */
  constructor({ answers, join = "\n" }: { answers: AnswerReader; join?: string }) {
    if (typeof answers?.extract !== "function" || typeof answers.canonical !== "function") {
      throw new InvalidOptionError({ field: "answers", value: answers, accepted: "an AnswerReader (extract and canonical)", where: "OracleVerifier" });
    }
    this.#answers = answers;
    this.#join = join;
  }

  async score(requests: readonly ScoreRequest[], signal?: AbortSignal): Promise<ScoreResult> {
    throwIfAborted(signal);
    validateScoreRequests(requests);
    const stepScores = requests.map(({ problem, steps }, i) => {
      if (steps.length === 0) return [];
      if (problem.answer === undefined) {
        throw new InvalidOptionError({ field: `requests[${i}].problem.answer`, value: undefined, accepted: `the gold answer of problem ${problem.id}: the oracle grades against it` });
      }
      const answer = this.#answers.extract(steps.join(this.#join));
      return [answer !== null && this.#answers.canonical(answer) === this.#answers.canonical(problem.answer) ? 1 : 0];
    });
    const scored = stepScores.filter((s) => s.length > 0).length;
    return { stepScores, usage: scored > 0 ? callUsage(this.modelId, { parameters: 0, calls: scored }) : {} };
  }
}
