import { PonderError } from "./ponder-error.js";

/** A generator answered a request for token confidence without it (a backend that cannot measure it). */
export class MissingConfidenceError extends PonderError {
  override name = "MissingConfidenceError";
  readonly modelId: string;

  constructor({ modelId, detail }: { modelId: string; detail: string }) {
    super(`${modelId}: ${detail}`);
    this.modelId = modelId;
  }
}
