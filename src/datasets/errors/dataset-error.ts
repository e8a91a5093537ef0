import { PonderError } from "../../core/errors/ponder-error.js";

/**
 * A dataset could not be read: a missing file, a malformed line, a missing or mistyped field.
 * The message names the file, the line (1-based, when there is one) and the field.
 */
export class DatasetError extends PonderError {
  override name = "DatasetError";
  /** The file or URL being read. */
  readonly file: string;
  /** 1-based line (JSONL) or record index (JSON array), when the problem is in one. */
  readonly line: number | undefined;
  /** The field at fault, when there is one. */
  readonly field: string | undefined;

  constructor({ file, line, field, problem, cause }: { file: string; line?: number; field?: string; problem: string; cause?: unknown }) {
    const where = `${file}${line !== undefined ? `:${line}` : ""}${field !== undefined ? ` (field "${field}")` : ""}`;
    super(`${where}: ${problem}`, { cause });
    this.file = file;
    this.line = line;
    this.field = field;
  }
}
