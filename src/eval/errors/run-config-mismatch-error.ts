import { PonderError } from "../../core/errors/ponder-error.js";
import { configFieldOption } from "../config-field-options.js";

/** A run directory holds records made under another configuration; resuming would mix them. */
export class RunConfigMismatchError extends PonderError {
  override name = "RunConfigMismatchError";
  readonly dir: string;
  readonly differences: { field: string; stored: unknown; requested: unknown }[];

  constructor({ dir, differences }: { dir: string; differences: RunConfigMismatchError["differences"] }) {
    // Named by the option that sets each field; the problems by their count, not their fingerprint (a hash means nothing to a user).
    const list = differences.map((d) => `${configFieldOption(d.field)} (stored ${JSON.stringify(d.stored)}, requested ${JSON.stringify(d.requested)})`).join("; ");
    super(`${dir} holds a run made with other options: ${list}. Resume it with the same options, or write to a new --out directory`);
    this.dir = dir;
    this.differences = differences;
  }
}
