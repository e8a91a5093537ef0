import type { EvalRecord } from "./eval-record.js";
import type { SkippedCell } from "./eval-plan.js";

/** Events of a running evaluation, in the order they happen. */
export type EvalEvent =
  | {
      type: "start";
      /** Records the complete run holds. */
      totalRecords: number;
      /** Records already stored by an earlier, interrupted run. */
      resumedRecords: number;
      /** Bytes of a torn last line that resuming discarded. */
      tornBytes: number;
      /** Strategy runs still to perform. */
      units: number;
      skipped: SkippedCell[];
      /** Lines of the results file set aside (damaged, duplicated, foreign), one notice each. */
      notices: string[];
    }
  | {
      type: "progress";
      /** Records stored so far, resumed ones included. */
      doneRecords: number;
      totalRecords: number;
      /** Estimated milliseconds left, from the pace of this session's work weighted by budget; null until a first wave of units has finished. */
      etaMs: number | null;
      elapsedMs: number;
    }
  | { type: "records"; records: EvalRecord[] }
  | { type: "problem-done"; problemId: string; records: EvalRecord[] }
  /** `records`: every record of the run, in canonical order (see canonicalOrder), whatever order they finished in. */
  | { type: "done"; records: EvalRecord[]; elapsedMs: number };
