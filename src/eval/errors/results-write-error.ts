import { PonderError } from "../../core/errors/ponder-error.js";
import { describeCode } from "./run-directory-error.js";

/**
 * Records could not be appended to a run's results file (a full disk, a short write). The file was
 * cut back to its last complete record, so nothing stored before is lost and a resume recomputes
 * only what this write held; when even that cut failed, the store refuses further appends.
 */
export class ResultsWriteError extends PonderError {
  override name = "ResultsWriteError";
  readonly file: string;
  /** Records the failed write held (not stored). */
  readonly records: number;
  /** Whether the file was restored to its last complete record. */
  readonly restored: boolean;

  constructor({ file, records, restored, cause }: { file: string; records: number; restored: boolean; cause: unknown }) {
    const code = (cause as NodeJS.ErrnoException)?.code ?? null;
    super(
      `could not write ${records} record${records === 1 ? "" : "s"} to ${file}: ${describeCode(code, cause)}. ` +
        (restored
          ? "The file was cut back to its last complete record, so every record stored before is intact; free space and run the same command to resume"
          : "The file could not be cut back either, so no further record is written to it; free space and run the same command to resume (a torn last line is discarded then)"),
      { cause },
    );
    this.file = file;
    this.records = records;
    this.restored = restored;
  }
}
