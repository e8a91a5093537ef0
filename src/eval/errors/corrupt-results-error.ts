import { PonderError } from "../../core/errors/ponder-error.js";

/** A results file has a damaged line that is not the torn last one a killed run can leave. */
export class CorruptResultsError extends PonderError {
  override name = "CorruptResultsError";
  readonly file: string;
  readonly line: number;

  constructor({ file, line, reason, cause }: { file: string; line: number; reason: string; cause?: unknown }) {
    super(`${file}:${line}: ${reason}`, { cause });
    this.file = file;
    this.line = line;
  }
}
