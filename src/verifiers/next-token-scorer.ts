import type { Usage } from "../core/usage.js";

/** Where to read next-token probabilities in a text, and of which tokens. */
export interface NextTokenQuery {
  text: string;
  /** Character offsets into `text`: each asks for the next token after `text.slice(0, cut)`. */
  cuts: readonly number[];
  /** Candidate next tokens, each one token of the model's vocabulary (e.g. "+" and "-"). */
  candidates: readonly string[];
  /** `text` has the model's special tokens written out (a chat template). */
  specialTokens?: boolean;
}

export interface NextTokenScores {
  /**
   * Per cut, per candidate: a log-probability or a raw logit. Only differences within one cut are
   * meaningful, which is all a softmax over the candidates needs.
   */
  scores: number[][];
  /**
   * Cuts the model could not read, by index into `cuts`, and why (a read point beyond its
   * context); their `scores` entries are empty. Absent when every cut was read.
   */
  unread?: { index: number; reason: string }[];
  /** Per cut, the tokens the model reads up to and including its read point, when the scorer knows them. */
  readTokens?: number[];
  /** Compute this call spent. */
  usage: Usage;
}

/**
 * The one primitive token reward models need: how likely each candidate is as the next token at
 * chosen points of a text. The embedded engine answers it in one forward pass; OpenAI-compatible
 * servers through prompt log-probabilities.
 */
export interface NextTokenScorer {
  /** Model identifier used as the key of usage records. */
  readonly modelId: string;
  nextTokenScores(query: NextTokenQuery, signal?: AbortSignal): Promise<NextTokenScores>;
}
