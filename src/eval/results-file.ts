import { recordKey, type EvalRecord } from "./eval-record.js";
import { checkRecord } from "./record-schema.js";

/** A line of a results file that is left out of the run, kept verbatim with why. */
export interface RejectedLine {
  /** 1-based line number. */
  line: number;
  reason: string;
  /** The line as it was stored (without its newline). */
  text: string;
}

export interface ParsedResults {
  /** Valid records of this run, first of each key, in file order. */
  records: EvalRecord[];
  /** Bytes of the records kept, line by line (a rewrite keeps them exactly as stored). */
  kept: Buffer[];
  /** Complete lines that are not records of this run: not JSON, not a record, a key already stored, a key the run does not plan. */
  rejected: RejectedLine[];
  blankLines: number;
  /** Text after the last newline: a record a stopped run was writing. */
  torn: string;
  tornBytes: number;
}

/**
 * Reads a results file's bytes leniently: every complete line is checked against the record
 * schema and, through `accept`, against the run's plan (a reason when the record is foreign, null
 * when it belongs); of records with the same key the first is kept. Nothing is thrown for a bad
 * line: it is reported with its number and reason, so the caller can set it aside and go on.
 */
export function parseResults(bytes: Buffer, accept: (record: EvalRecord) => string | null = () => null): ParsedResults {
  const complete = bytes.lastIndexOf(0x0a) + 1;
  const out: ParsedResults = { records: [], kept: [], rejected: [], blankLines: 0, torn: bytes.subarray(complete).toString("utf8"), tornBytes: bytes.length - complete };
  const firstLine = new Map<string, number>();
  let start = 0;
  for (let line = 1; start < complete; line++) {
    const end = bytes.indexOf(0x0a, start);
    const raw = bytes.subarray(start, end);
    start = end + 1;
    const text = raw.toString("utf8");
    if (text.trim() === "") {
      out.blankLines++;
      continue;
    }
    const reject = (reason: string) => out.rejected.push({ line, reason, text });
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      reject(`not valid JSON (${(error as Error).message})`);
      continue;
    }
    const checked = checkRecord(value);
    if ("reason" in checked) {
      reject(`not a record: ${checked.reason}`);
      continue;
    }
    const foreign = accept(checked.record);
    if (foreign !== null) {
      reject(`a record this run does not plan: ${foreign}`);
      continue;
    }
    const key = recordKey(checked.record);
    const first = firstLine.get(key);
    if (first !== undefined) {
      reject(`a second record for ${key} (the first, on line ${first}, is kept)`);
      continue;
    }
    firstLine.set(key, line);
    out.records.push(checked.record);
    out.kept.push(raw);
  }
  return out;
}
