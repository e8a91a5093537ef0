import { throwIfAborted } from "../core/errors/aborted-error.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { addUsage, type Usage } from "../core/usage.js";
import type { ScoreRequest, ScoreResult } from "../core/verifier.js";

/** Checks score requests at a verifier's edge; throws InvalidOptionError naming the bad field. */
export function validateScoreRequests(requests: readonly ScoreRequest[]): readonly ScoreRequest[] {
  if (!Array.isArray(requests)) throw new InvalidOptionError({ field: "requests", value: requests, accepted: "an array of { problem, steps }" });
  requests.forEach((r, i) => {
    if (typeof r?.problem?.question !== "string") throw new InvalidOptionError({ field: `requests[${i}].problem.question`, value: r?.problem?.question, accepted: "a string" });
    if (!Array.isArray(r.steps) || !(r.steps as unknown[]).every((s) => typeof s === "string")) {
      throw new InvalidOptionError({ field: `requests[${i}].steps`, value: r.steps, accepted: "an array of strings" });
    }
  });
  return requests;
}

/** A verifier's `score` for one request at a time: checked at the edge, scored concurrently, usage summed, requests not scored in full listed with why. */
export async function scoreEach(
  requests: readonly ScoreRequest[],
  signal: AbortSignal | undefined,
  scoreOne: (request: ScoreRequest) => Promise<{ scores: number[]; unscored?: string; usage: Usage }>,
): Promise<ScoreResult> {
  throwIfAborted(signal);
  validateScoreRequests(requests);
  const results = await Promise.all(requests.map(scoreOne));
  const unscored = results.flatMap((r, index) => (r.unscored === undefined ? [] : [{ index, reason: r.unscored }]));
  return {
    stepScores: results.map((r) => r.scores),
    ...(unscored.length > 0 ? { unscored } : {}),
    usage: results.reduce<Usage>((sum, r) => addUsage(sum, r.usage), {}),
  };
}
