import { DatasetError } from "./errors/dataset-error.js";

/** One record of a dataset file and where it came from. */
export interface SourceRecord {
  /** The parsed object. */
  value: Record<string, unknown>;
  /** 1-based line in a JSONL file, or 1-based index in a JSON array. */
  line: number;
}

/**
 * Records of a JSONL or JSON text (an array, or an object holding the array under `data`,
 * `rows`, `examples` or `problems`). JSONL is recognised by its first non-blank character not
 * opening an array, or by the name ending in `.jsonl`. Blank lines are skipped.
 */
export function readRecords(text: string, file: string): SourceRecord[] {
  const body = text.replace(/^\uFEFF/, "");
  const first = body.trimStart()[0];
  if (file.endsWith(".jsonl") || file.endsWith(".ndjson") || (first === "{" && !looksLikeSingleJson(body))) return readJsonl(body, file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new DatasetError({ file, problem: `not valid JSON or JSONL (${(error as Error).message})`, cause: error });
  }
  const list = Array.isArray(parsed) ? parsed : findArray(parsed);
  if (!list) throw new DatasetError({ file, problem: "expected a JSON array of records, or an object with one under data, rows, examples or problems" });
  return list.map((value, i) => asRecord(value, file, i + 1));
}

function readJsonl(text: string, file: string): SourceRecord[] {
  const out: SourceRecord[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new DatasetError({ file, line: i + 1, problem: `not valid JSON (${(error as Error).message})`, cause: error });
    }
    out.push(asRecord(value, file, i + 1));
  });
  return out;
}

/** A whole-file JSON object (pretty-printed or one line holding a records array), as opposed to JSONL. */
function looksLikeSingleJson(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as unknown;
    return findArray(parsed) !== null;
  } catch {
    return false;
  }
}

function findArray(parsed: unknown): unknown[] | null {
  if (parsed === null || typeof parsed !== "object") return null;
  const holder = parsed as Record<string, unknown>;
  for (const key of ["data", "rows", "examples", "problems"]) if (Array.isArray(holder[key])) return holder[key] as unknown[];
  return null;
}

function asRecord(value: unknown, file: string, line: number): SourceRecord {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new DatasetError({ file, line, problem: `expected a JSON object, found ${Array.isArray(value) ? "an array" : JSON.stringify(value)}` });
  }
  // Rows from the Hub's rows API wrap each record: {"row_idx": 0, "row": {...}}.
  const record = value as Record<string, unknown>;
  if (typeof record.row === "object" && record.row !== null && "row_idx" in record) return { value: record.row as Record<string, unknown>, line };
  return { value: record, line };
}
