import { PonderError } from "./ponder-error.js";

/** A prompt and its requested completion do not fit in the model's context. */
export class ContextOverflowError extends PonderError {
  override name = "ContextOverflowError";
  readonly promptTokens: number;
  readonly maxTokens: number;
  readonly contextSize: number;

  constructor({ promptTokens, maxTokens, contextSize }: { promptTokens: number; maxTokens: number; contextSize: number }) {
    super(
      `prompt of ${promptTokens} tokens plus up to ${maxTokens} new tokens does not fit the context of ${contextSize} tokens; ` +
        `raise contextSize or lower maxTokens`,
    );
    this.promptTokens = promptTokens;
    this.maxTokens = maxTokens;
    this.contextSize = contextSize;
  }
}
