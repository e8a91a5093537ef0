import { PonderError } from "../../../core/errors/ponder-error.js";

/** A request needs something the configured server does not offer; `hint` says what to configure instead. */
export class ServerCapabilityError extends PonderError {
  override name = "ServerCapabilityError";
  /** What was needed, e.g. "assistant prefill". */
  readonly feature: string;
  readonly hint: string;

  constructor({ feature, hint, detail }: { feature: string; hint: string; detail: string }) {
    super(`${detail}; ${hint}`);
    this.feature = feature;
    this.hint = hint;
  }
}
