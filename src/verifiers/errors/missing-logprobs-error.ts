import { PonderError } from "../../core/errors/ponder-error.js";

/** A server's answer lacks the log-probabilities a verifier needs; `hint` says which setting gets them. */
export class MissingLogprobsError extends PonderError {
  override name = "MissingLogprobsError";
  readonly url: string;
  readonly hint: string;

  constructor({ url, detail, hint }: { url: string; detail: string; hint: string }) {
    super(`${url}: ${detail}; ${hint}`);
    this.url = url;
    this.hint = hint;
  }
}
