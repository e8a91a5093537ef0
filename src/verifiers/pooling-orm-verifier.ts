import { z } from "zod";
import type { OpenAIClient } from "../backends/openai/openai-client.js";
import { throwIfAborted } from "../core/errors/aborted-error.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { callUsage } from "../core/usage.js";
import type { ScoreRequest, ScoreResult, Verifier } from "../core/verifier.js";
import { PoolingResponseError } from "./errors/pooling-response-error.js";
import { validateScoreRequests } from "./validate-score-requests.js";

export interface PoolingOrmVerifierOptions {
  client: OpenAIClient;
  /** The served model's name. */
  model: string;
  /** The key usage is recorded under (default: `model`). */
  modelId?: string;
  /** `classify`: vLLM's Classification API (`POST /classify`); `pooling`: `POST /pooling` with task `classify` (default `classify`). */
  route?: "classify" | "pooling";
  /** The text scored: `{question}` and `{solution}` are filled in (default "{question}\n\n{solution}"). */
  template?: string;
  /** What joins the steps into the solution (default "\n"). */
  join?: string;
  /** The class that means "correct" when the head has several (default 1). */
  positiveIndex?: number;
  /** `sigmoid` for heads that return a raw reward (one unbounded number), `none` for probabilities (default). */
  activation?: "none" | "sigmoid";
  /** Model parameters, for FLOPs (default 0: unknown). */
  parameters?: number;
}

const classifyResponseSchema = z.looseObject({
  data: z.array(z.looseObject({ index: z.number().nullish(), probs: z.array(z.number()).nullish(), data: z.unknown().optional() })).min(1),
  usage: z.looseObject({ prompt_tokens: z.number().nullish() }).nullish(),
});

/**
 * An outcome reward model behind vLLM's classification (sequence reward) API: one score per
 * whole solution, every candidate of a call in one request.
 * @example new PoolingOrmVerifier({ client, model: "Skywork/Skywork-Reward-V2-Llama-3.1-8B", activation: "sigmoid" })
 */
export class PoolingOrmVerifier implements Verifier {
  readonly modelId: string;
  readonly kind = "outcome" as const;
  readonly #o: Required<Omit<PoolingOrmVerifierOptions, "modelId">>;

  constructor({ client, model, modelId = model, route = "classify", template = "{question}\n\n{solution}", join = "\n", positiveIndex = 1, activation = "none", parameters = 0 }: PoolingOrmVerifierOptions) {
    const bad = (field: string, value: unknown, accepted: string) => new InvalidOptionError({ field, value, accepted, where: "PoolingOrmVerifier" });
    if (!model) throw bad("model", model, "the served model's name");
    if (route !== "classify" && route !== "pooling") throw bad("route", route, '"classify" or "pooling"');
    if (!template.includes("{solution}")) throw bad("template", template, 'a string containing "{solution}"');
    if (activation !== "none" && activation !== "sigmoid") throw bad("activation", activation, '"none" or "sigmoid"');
    if (!Number.isInteger(positiveIndex) || positiveIndex < 0) throw bad("positiveIndex", positiveIndex, "an integer ≥ 0");
    this.modelId = modelId;
    this.#o = { client, model, route, template, join, positiveIndex, activation, parameters };
  }

  async score(requests: readonly ScoreRequest[], signal?: AbortSignal): Promise<ScoreResult> {
    throwIfAborted(signal);
    validateScoreRequests(requests);
    const { client, model, route, template, join, parameters } = this.#o;
    const scored = requests.flatMap((r, i) => (r.steps.length > 0 ? [i] : []));
    const stepScores: number[][] = requests.map(() => []);
    if (scored.length === 0) return { stepScores, usage: {} };
    const input = scored.map((i) => {
      const { problem, steps } = requests[i]!;
      return template.replace(/\{(question|solution)\}/g, (_, key: string) => (key === "question" ? problem.question : steps.join(join)));
    });
    const url = route === "classify" ? `${client.rootURL}/classify` : `${client.rootURL}/pooling`;
    const { data } = await client.post(url, { model, input, ...(route === "pooling" ? { task: "classify" } : {}) }, classifyResponseSchema, signal);
    if (data.data.length !== input.length) throw new PoolingResponseError({ url, detail: `sent ${input.length} solutions, got ${data.data.length} scores` });
    const ordered = [...data.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    ordered.forEach((item, j) => (stepScores[scored[j]!] = [this.#read(item.probs ?? item.data, url)]));
    return { stepScores, usage: callUsage(this.modelId, { parameters, calls: input.length, promptTokens: data.usage?.prompt_tokens ?? 0 }) };
  }

  #read(value: unknown, url: string): number {
    const { positiveIndex, activation } = this.#o;
    const list = typeof value === "number" ? [value] : value;
    if (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === "number")) {
      throw new PoolingResponseError({ url, detail: `expected class probabilities or a reward, got ${JSON.stringify(value)?.slice(0, 120)}` });
    }
    const raw = list.length === 1 ? list[0]! : list[positiveIndex];
    if (raw === undefined) throw new PoolingResponseError({ url, detail: `positiveIndex ${positiveIndex} is beyond the ${list.length} classes returned` });
    const score = activation === "sigmoid" ? 1 / (1 + Math.exp(-raw)) : raw;
    if (!(score >= 0 && score <= 1)) throw new PoolingResponseError({ url, detail: `score ${raw} is not a probability; a raw reward head needs activation "sigmoid"` });
    return score;
  }
}
