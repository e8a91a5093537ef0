import { PonderError } from "../../core/errors/ponder-error.js";

/** A compute-optimal policy file that cannot be used; names the file and the field. */
export class PolicyFileError extends PonderError {
  override name = "PolicyFileError";
  readonly file: string;
  readonly field: string;

  constructor({ file, field, problem }: { file: string; field: string; problem: string }) {
    super(`${file}: ${field}: ${problem}`);
    this.file = file;
    this.field = field;
  }
}
