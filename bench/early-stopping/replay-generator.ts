import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Continuation, GenerationRequest, GenerationResult, Generator } from "../../src/core/generator.js";
import type { Usage } from "../../src/core/usage.js";

/**
 * A generator that draws each request once, whole, from the real one and afterwards replays it: a
 * request with `onToken` sees the recorded tokens' confidences one by one and, when it returns
 * "stop", gets the continuation cut there with its tokens counted (the real engines do exactly this:
 * the same seed writes the same tokens, and a stopped continuation keeps what it wrote). So one
 * drawing of N traces per problem measures any number of early-stopping settings at no further cost.
 * A cut continuation's text is left empty: a stopped trace states no answer.
 */
export class ReplayGenerator implements Generator {
  readonly modelId: string;
  readonly stepDelimiter: string;
  readonly #inner: Generator;
  readonly #drawn = new Map<string, Promise<GenerationResult>>();

  constructor(inner: Generator) {
    this.#inner = inner;
    this.modelId = inner.modelId;
    this.stepDelimiter = inner.stepDelimiter;
  }

  /** Continues from drawings saved by `save` (the same model and requests), when `path` exists. */
  load(path: string): void {
    if (!existsSync(path)) return;
    const saved = JSON.parse(readFileSync(path, "utf8")) as { modelId: string; drawn: [string, GenerationResult][] };
    if (saved.modelId !== this.modelId) throw new Error(`${path} holds drawings of ${saved.modelId}, not ${this.modelId}`);
    for (const [key, result] of saved.drawn) this.#drawn.set(key, Promise.resolve(result));
  }

  /** Writes every drawing so far to `path`, for a later run to `load`. */
  async save(path: string): Promise<void> {
    const drawn = await Promise.all([...this.#drawn].map(async ([key, result]) => [key, await result] as const));
    writeFileSync(path, JSON.stringify({ modelId: this.modelId, drawn }));
  }

  async generate(request: GenerationRequest, signal?: AbortSignal): Promise<GenerationResult> {
    const { onToken, problem, ...rest } = request;
    const key = JSON.stringify({ problem: [problem.id, problem.question], ...rest });
    let drawn = this.#drawn.get(key);
    if (!drawn) {
      drawn = this.#inner.generate({ problem, ...rest }, signal);
      this.#drawn.set(key, drawn);
    }
    const full = await drawn;
    if (!onToken) return full;
    const continuations = full.continuations.map((c, i) => cut(c, i, onToken));
    return { continuations, usage: shrink(full.usage, full.continuations, continuations) };
  }
}

function cut(c: Continuation, index: number, onToken: NonNullable<GenerationRequest["onToken"]>): Continuation {
  const confidences = c.tokenConfidences ?? [];
  for (let k = 0; k < confidences.length; k++) {
    if (onToken({ continuation: index, count: k + 1, confidence: confidences[k] }) !== "stop") continue;
    if (k + 1 >= c.completionTokens) return c;
    return { text: "", steps: [], finishReason: "stopped", completionTokens: k + 1, tokenConfidences: confidences.slice(0, k + 1) };
  }
  return c;
}

/** The recorded usage less the tokens the cut continuations did not write (FLOPs in proportion). */
function shrink(usage: Usage, before: readonly Continuation[], after: readonly Continuation[]): Usage {
  const removed = before.reduce((s, c, i) => s + c.completionTokens - after[i]!.completionTokens, 0);
  if (removed === 0) return usage;
  const out: Usage = {};
  for (const [model, u] of Object.entries(usage)) {
    const tokens = u.promptTokens + u.completionTokens;
    const kept = u.completionTokens - removed;
    out[model] = { ...u, completionTokens: kept, flops: tokens > 0 ? (u.flops * (u.promptTokens + kept)) / tokens : 0 };
  }
  return out;
}
