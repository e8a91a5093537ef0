import { PonderError } from "../../core/errors/ponder-error.js";

/** A run directory holds records made under another configuration; resuming would mix them. */
export class RunConfigMismatchError extends PonderError {
  override name = "RunConfigMismatchError";
  readonly dir: string;
  readonly differences: { field: string; stored: unknown; requested: unknown }[];

  constructor({ dir, differences }: { dir: string; differences: RunConfigMismatchError["differences"] }) {
    const list = differences.map((d) => `${d.field} (stored ${JSON.stringify(d.stored)}, requested ${JSON.stringify(d.requested)})`).join("; ");
    super(`${dir} holds a run with another configuration: ${list}. Resume it with the same options, or write to a new --out directory`);
    this.dir = dir;
    this.differences = differences;
  }
}
