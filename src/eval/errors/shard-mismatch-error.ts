import { PonderError } from "../../core/errors/ponder-error.js";

/**
 * Shard directories that cannot be merged into one run: made with different options (each
 * differing option named, as the flag that sets it), or a set with shards missing or repeated.
 */
export class ShardMismatchError extends PonderError {
  override name = "ShardMismatchError";
  readonly dir: string;
  /** The options that differ, as `--flag` names; empty when the set itself is incomplete. */
  readonly options: string[];

  constructor({ dir, detail, options = [] }: { dir: string; detail: string; options?: string[] }) {
    super(`${dir}: cannot merge its shards: ${detail}`);
    this.dir = dir;
    this.options = options;
  }
}
