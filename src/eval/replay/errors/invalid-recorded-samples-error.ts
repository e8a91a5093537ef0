import { PonderError } from "../../../core/errors/ponder-error.js";

/** A recorded-samples file that cannot be read, or a line of it without the fields replay needs. */
export class InvalidRecordedSamplesError extends PonderError {
  override name = "InvalidRecordedSamplesError";
  readonly file: string;
  /** 1-based line number, or 0 for the file as a whole. */
  readonly line: number;

  constructor({ file, line, reason, cause }: { file: string; line: number; reason: string; cause?: unknown }) {
    super(`${line > 0 ? `${file}:${line}` : file}: ${reason}`, { cause });
    this.file = file;
    this.line = line;
  }
}
