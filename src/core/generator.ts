import type { Problem } from "./problem.js";
import type { Usage } from "./usage.js";

/** How tokens are drawn. */
export interface SamplingOptions {
  /** 0 picks the most likely token (greedy). */
  temperature: number;
  topP?: number;
  minP?: number;
  topK?: number;
  /** Upper bound on new tokens per continuation. */
  maxTokens: number;
  /** The same seed (and request) gives the same continuations. */
  seed: number;
}

export interface GenerationRequest {
  problem: Problem;
  /** Steps already written (without delimiters); generation continues after them. */
  prefix?: readonly string[];
  /** Earlier attempts shown to a revision model, oldest first. */
  attempts?: readonly string[];
  /** `step` stops at the next step delimiter; `solution` runs to the end. */
  until: "step" | "solution";
  /** Continuations to sample from the same prefix (default 1). */
  n?: number;
  sampling: SamplingOptions;
  /** Also return the log-probability of each generated token. */
  logprobs?: boolean;
}

export interface Continuation {
  /** Generated text, without the step delimiter or end-of-sequence token that stopped it. */
  text: string;
  /** `text` split into steps by the generator's delimiter (exactly one step when `until` is `step`). */
  steps: string[];
  /** `step`: stopped at a delimiter, more may follow; `end`: the solution is complete; `length`: cut off at maxTokens. */
  finishReason: "step" | "end" | "length";
  /** Tokens generated for this continuation. */
  completionTokens: number;
  /** Natural log-probability of each generated token, when asked for. */
  tokenLogprobs?: number[];
  /** This continuation's own share of the call's usage, when the backend can tell it apart. */
  usage?: Usage;
}

export interface GenerationResult {
  /** `n` continuations, in a deterministic order. */
  continuations: Continuation[];
  /** Compute this call spent. */
  usage: Usage;
}

/** A policy model: continues solutions one step or to the end. Safe to call concurrently; backends batch concurrent calls. */
export interface Generator {
  /** Model identifier used as the key of usage records. */
  readonly modelId: string;
  /** Delimiter between steps in this generator's prompt format. */
  readonly stepDelimiter: string;
  generate(request: GenerationRequest, signal?: AbortSignal): Promise<GenerationResult>;
}
