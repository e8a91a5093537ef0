import { PonderError } from "../../core/errors/ponder-error.js";

/**
 * A token reward model cannot read where its format says: a read point does not fall on a token
 * boundary of the model's tokenization, or a candidate ("+", "-") is not one token. Usually the
 * format does not match the model (another tag, another chat template).
 */
export class TokenAlignmentError extends PonderError {
  override name = "TokenAlignmentError";
  readonly modelId: string;

  constructor({ modelId, detail }: { modelId: string; detail: string }) {
    super(`${modelId}: ${detail}`);
    this.modelId = modelId;
  }
}
