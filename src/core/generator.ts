import type { Problem } from "./problem.js";
import type { ConfidenceSignal } from "./token-confidence.js";
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
  /**
   * Also measure each generated token's confidence (core/token-confidence.ts): by `signal` (default
   * `top-k`, DeepConf's, from the model's `topK` most likely candidates, default 20; or `likelihood`,
   * the written token's own log-probability).
   */
  confidence?: { signal?: ConfidenceSignal; topK?: number };
  /**
   * Sees every generated token of every continuation as it is written (an end-of-sequence token
   * excepted). Returning "stop" ends that continuation at once: its finishReason is `stopped`, the
   * tokens written so far are kept and counted, and the backend frees what the continuation held
   * (the embedded engine's sequence, the server's stream). A token that ends the continuation anyway
   * (a stop string, maxTokens) keeps its own finish reason.
   */
  onToken?: (token: GeneratedToken) => "stop" | void;
}

/** One token as a continuation is being written. */
export interface GeneratedToken {
  /** Which of the request's `n` continuations wrote it (0-based). */
  continuation: number;
  /** Tokens this continuation has written so far, this one included. */
  count: number;
  /** Its confidence, when the request asked for confidence. */
  confidence?: number;
}

export interface Continuation {
  /** Generated text, without the step delimiter or end-of-sequence token that stopped it. */
  text: string;
  /** `text` split into steps by the generator's delimiter (exactly one step when `until` is `step`). */
  steps: string[];
  /** `step`: stopped at a delimiter, more may follow; `end`: the solution is complete; `length`: cut off at maxTokens; `stopped`: the request's onToken stopped it. */
  finishReason: "step" | "end" | "length" | "stopped";
  /** Tokens generated for this continuation. */
  completionTokens: number;
  /** Natural log-probability of each generated token, when asked for. */
  tokenLogprobs?: number[];
  /** Confidence of each generated token, when asked for. */
  tokenConfidences?: number[];
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
