import { deriveSeed } from "../src/core/rng.js";
import { callUsage } from "../src/core/usage.js";
import type { ScoreRequest, ScoreResult, Verifier } from "../src/core/verifier.js";

/**
 * A deterministic stand-in for a process reward model: each step's score is a hash of the problem
 * and the steps up to it. Lets strategy tests check selection logic and determinism independently
 * of any model; optionally fails or stalls to inject faults.
 */
export class HashVerifier implements Verifier {
  readonly modelId = "hash-prm";
  readonly kind = "process" as const;
  calls = 0;
  constructor(private readonly options: { delayMs?: number; failAfter?: number } = {}) {}

  async score(requests: readonly ScoreRequest[], signal?: AbortSignal): Promise<ScoreResult> {
    this.calls++;
    if (this.options.failAfter !== undefined && this.calls > this.options.failAfter) throw new Error("injected verifier failure");
    if (this.options.delayMs) await new Promise((r) => setTimeout(r, this.options.delayMs));
    signal?.throwIfAborted();
    const stepScores = requests.map((r) => r.steps.map((_, i) => (deriveSeed(7, r.problem.id, ...r.steps.slice(0, i + 1)) % 1000) / 1000));
    const scored = requests.reduce((sum, r) => sum + r.steps.length, 0);
    return { stepScores, usage: callUsage(this.modelId, { parameters: 0, calls: requests.length, promptTokens: scored }) };
  }
}
