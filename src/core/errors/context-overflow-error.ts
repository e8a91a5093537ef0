import { PonderError } from "./ponder-error.js";

/**
 * A text does not fit a model's context: a prompt with no room left for new tokens, or a text to
 * score longer than the context. The message names the model and the knobs a user has: the model
 * spec's `context=N` option and `--max-tokens`.
 */
export class ContextOverflowError extends PonderError {
  override name = "ContextOverflowError";
  /** The model whose context is too small, when the thrower knows it. */
  readonly modelId: string | null;
  readonly promptTokens: number;
  /** New tokens asked for (0 when the text is only read, as a verifier does). */
  readonly maxTokens: number;
  readonly contextSize: number;

  constructor({ modelId = null, promptTokens, maxTokens, contextSize }: { modelId?: string | null; promptTokens: number; maxTokens: number; contextSize: number }) {
    const model = modelId ?? "the model";
    super(
      maxTokens > 0
        ? `${model}: a prompt of ${promptTokens} tokens with up to ${maxTokens} new tokens does not fit its context of ${contextSize} tokens; ` +
            `shorten the question, lower --max-tokens, or give the model a larger context with the spec option context=N (e.g. "policy-small?context=2048")`
        : `${model}: a text of ${promptTokens} tokens does not fit its context of ${contextSize} tokens`,
    );
    this.modelId = modelId;
    this.promptTokens = promptTokens;
    this.maxTokens = maxTokens;
    this.contextSize = contextSize;
  }
}
