import type { OpenAIClient } from "../backends/openai/openai-client.js";
import type { ChatMessage } from "../backends/openai/openai-wire.js";
import { throwIfAborted } from "../core/errors/aborted-error.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { Problem } from "../core/problem.js";
import { addUsage, callUsage, type Usage } from "../core/usage.js";
import type { ScoreRequest, ScoreResult, Verifier } from "../core/verifier.js";
import { PoolingResponseError } from "./errors/pooling-response-error.js";
import { StepScoreMemo } from "./step-score-memo.js";
import { validateScoreRequests } from "./validate-score-requests.js";
import { VllmPooling, type PoolingApi } from "./vllm-pooling.js";

/** Qwen2.5-Math-PRM's system prompt, from its model card. */
export const QWEN_PRM_SYSTEM = "Please reason step by step, and put your final answer within \\boxed{}.";

export interface PoolingPrmVerifierOptions {
  client: OpenAIClient;
  /** The served model's name, e.g. "Qwen/Qwen2.5-Math-PRM-7B". */
  model: string;
  /** The key usage is recorded under (default: `model`). */
  modelId?: string;
  /** The pooling API generation (default `auto`: detected on the first call). */
  api?: PoolingApi | "auto";
  /** Joins the steps and ends the last one; the model scores each (default "<extra_0>"). */
  stepTag?: string;
  /** System message ("" for none; default Qwen2.5-Math-PRM's). */
  system?: string;
  /** Which class of each step's pair is "correct" (default 1: Qwen's [P(wrong), P(right)]). */
  positiveIndex?: number;
  /** Model parameters, for FLOPs (default 0: unknown). */
  parameters?: number;
  /** Step prefixes whose scores are remembered (default 16 384). */
  cacheSize?: number;
}

/**
 * A process reward model with a classification head, served by vLLM's pooling API (step pooling):
 * Qwen2.5-Math-PRM and kin. The steps go in the assistant turn joined by the step tag (and one
 * after the last); the server returns one probability pair per tag.
 * @example new PoolingPrmVerifier({ client: new OpenAIClient({ baseURL: "http://gpu:8000/v1" }), model: "Qwen/Qwen2.5-Math-PRM-7B" })
 */
export class PoolingPrmVerifier implements Verifier {
  readonly modelId: string;
  readonly kind = "process" as const;
  readonly #pooling: VllmPooling;
  readonly #o: Required<Pick<PoolingPrmVerifierOptions, "stepTag" | "system" | "positiveIndex" | "parameters">> & { url: string };
  readonly #memo: StepScoreMemo;

  constructor({ client, model, modelId = model, api = "auto", stepTag = "<extra_0>", system = QWEN_PRM_SYSTEM, positiveIndex = 1, parameters = 0, cacheSize = 16_384 }: PoolingPrmVerifierOptions) {
    if (!stepTag) throw new InvalidOptionError({ field: "stepTag", value: stepTag, accepted: "a non-empty string", where: "PoolingPrmVerifier" });
    if (!Number.isInteger(positiveIndex) || positiveIndex < 0) throw new InvalidOptionError({ field: "positiveIndex", value: positiveIndex, accepted: "an integer ≥ 0", where: "PoolingPrmVerifier" });
    this.#pooling = new VllmPooling({ client, model, api });
    this.modelId = modelId;
    this.#o = { stepTag, system, positiveIndex, parameters, url: `${client.rootURL}/pooling` };
    this.#memo = new StepScoreMemo(cacheSize);
  }

  async score(requests: readonly ScoreRequest[], signal?: AbortSignal): Promise<ScoreResult> {
    throwIfAborted(signal);
    validateScoreRequests(requests);
    const results = await Promise.all(
      requests.map(async ({ problem, steps }) => {
        if (steps.length === 0) return { scores: [], usage: {} as Usage };
        const keys = StepScoreMemo.keys(`pooling:${this.#o.stepTag}`, problem, steps);
        return this.#memo.resolve(keys, async (missing) => {
          // One pass scores every step; only the steps up to the last one wanted are sent.
          const sent = steps.slice(0, Math.max(...missing) + 1);
          const all = await this.#scoreAll(problem, sent, signal);
          return { scores: missing.map((i) => all.scores[i]!), usage: all.usage };
        });
      }),
    );
    return { stepScores: results.map((r) => r.scores), usage: results.reduce<Usage>((sum, r) => addUsage(sum, r.usage), {}) };
  }

  async #scoreAll(problem: Problem, steps: readonly string[], signal?: AbortSignal): Promise<{ scores: number[]; usage: Usage }> {
    const { stepTag, system, positiveIndex, parameters } = this.#o;
    const answer = steps.join(stepTag) + stepTag;
    const messages: ChatMessage[] = [...(system ? [{ role: "system" as const, content: system }] : []), { role: "user", content: problem.question }, { role: "assistant", content: answer }];
    const { data, promptTokens } = await this.#pooling.pool({ messages, text: chatml(messages) }, "token_classify", signal);
    const scores = stepProbabilities(data, steps.length, positiveIndex, this.#o.url);
    return { scores, usage: callUsage(this.modelId, { parameters, calls: 1, promptTokens }) };
  }
}

/**
 * One probability per step from what a step pooler returns: a pair (or more classes) per step, the
 * same pairs flattened (vLLM 0.6's embeddings), or one probability per step.
 */
export function stepProbabilities(data: unknown, steps: number, positiveIndex: number, url: string): number[] {
  const fail = (detail: string) => new PoolingResponseError({ url, detail });
  const numbers = (xs: unknown): xs is number[] => Array.isArray(xs) && xs.every((x) => typeof x === "number" && Number.isFinite(x));
  let probs: number[];
  if (Array.isArray(data) && data.every(numbers)) {
    probs = (data as number[][]).map((pair) => pair[positiveIndex] ?? Number.NaN);
  } else if (numbers(data) && data.length === 2 * steps) {
    probs = data.filter((_, i) => i % 2 === positiveIndex);
  } else if (numbers(data) && data.length === steps) {
    probs = data;
  } else {
    throw fail(`expected one probability pair per step tag, got ${JSON.stringify(data)?.slice(0, 120)}`);
  }
  if (probs.length !== steps) {
    throw fail(`${steps} step(s) were sent but the model scored ${probs.length}; the step tag may not be one token of this model (stepTag), or the server pools another way`);
  }
  if (!probs.every((p) => p >= 0 && p <= 1)) throw fail(`step scores ${JSON.stringify(probs)} are not probabilities; check positiveIndex and the server's pooler (softmax)`);
  return probs;
}

/** Qwen's ChatML layout, for the embeddings generation, which takes no chat messages. */
function chatml(messages: readonly ChatMessage[]): string {
  return messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join("");
}
