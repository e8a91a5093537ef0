import type { Problem } from "../core/problem.js";
import { DatasetError } from "./errors/dataset-error.js";
import type { SourceRecord } from "./read-records.js";

/** Which field of a record holds each part of a problem. */
export interface FieldMapping {
  question: string;
  answer: string;
  id?: string;
  level?: string;
}

/** How one dataset format turns records into problems. */
export interface DatasetFormat {
  name: string;
  /** Fields tried in order for each part; the first present wins. */
  fields: { question: string[]; answer: string[]; id: string[]; level: string[] };
  /** The gold answer from the answer field's value (GSM8K keeps it after "####"). */
  answer?: (value: unknown) => string | null;
  /** The answer reader preset suited to the format's solutions. */
  extraction: "math" | "gsm8k";
}

const GENERIC_ID = ["id", "unique_id", "idx", "problem_id"];
const GENERIC_LEVEL = ["level", "difficulty"];

/** The formats ponder reads; `generic` guesses the common field names and takes a mapping. */
export const datasetFormats: Readonly<Record<string, DatasetFormat>> = {
  math500: { name: "math500", fields: { question: ["problem"], answer: ["answer"], id: ["unique_id"], level: ["level"] }, extraction: "math" },
  gsm8k: {
    name: "gsm8k",
    fields: { question: ["question"], answer: ["answer"], id: [], level: [] },
    answer: (value) => {
      const m = /####\s*(.+?)\s*$/.exec(String(value));
      return m ? m[1]!.replace(/,(?=\d{3}\b)/g, "") : null;
    },
    extraction: "gsm8k",
  },
  aime: { name: "aime", fields: { question: ["problem"], answer: ["answer"], id: ["id"], level: [] }, extraction: "math" },
  // AMC 2023 stores answers as JSON numbers (27.0), which read back as the shortest form ("27").
  amc: { name: "amc", fields: { question: ["problem", "question"], answer: ["answer"], id: ["id"], level: [] }, extraction: "math" },
  generic: {
    name: "generic",
    fields: { question: ["question", "problem", "prompt", "input"], answer: ["answer", "gt", "gold", "solution_answer", "target", "output"], id: GENERIC_ID, level: GENERIC_LEVEL },
    extraction: "math",
  },
};

/** Problems from records, with `mapping` overriding a format's field names; errors name the file, line and field. */
export function recordsToProblems(records: readonly SourceRecord[], file: string, format: DatasetFormat, mapping: Partial<FieldMapping> = {}): Problem[] {
  const seen = new Set<string>();
  return records.map(({ value, line }, index) => {
    const pick = (part: keyof FieldMapping, required: boolean): [string | undefined, unknown] => {
      const names = mapping[part] ? [mapping[part]!] : format.fields[part];
      const name = names.find((n) => value[n] !== undefined && value[n] !== null);
      if (name === undefined && required) {
        throw new DatasetError({ file, line, field: names.join(" or "), problem: `missing (the record has ${Object.keys(value).join(", ") || "no fields"}); map another field with ${part}=<field>` });
      }
      return [name, name === undefined ? undefined : value[name]];
    };
    const [qField, question] = pick("question", true);
    if (typeof question !== "string" || question.trim() === "") throw new DatasetError({ file, line, field: qField, problem: "expected a non-empty string" });
    const [aField, rawAnswer] = pick("answer", true);
    if (typeof rawAnswer !== "string" && typeof rawAnswer !== "number") throw new DatasetError({ file, line, field: aField, problem: `expected a string or number, found ${JSON.stringify(rawAnswer)}` });
    const answer = format.answer && !mapping.answer ? format.answer(rawAnswer) : String(rawAnswer);
    if (answer === null || answer.trim() === "") throw new DatasetError({ file, line, field: aField, problem: `no gold answer in ${JSON.stringify(String(rawAnswer).slice(-60))}` });
    const [, rawId] = pick("id", false);
    const id = rawId === undefined ? `${format.name}-${index}` : String(rawId);
    if (seen.has(id)) throw new DatasetError({ file, line, field: mapping.id ?? "id", problem: `duplicate id ${JSON.stringify(id)}` });
    seen.add(id);
    const [lField, rawLevel] = pick("level", false);
    const level = rawLevel === undefined ? undefined : parseLevel(rawLevel);
    if (rawLevel !== undefined && level === undefined) throw new DatasetError({ file, line, field: lField, problem: `expected a number or "Level N", found ${JSON.stringify(rawLevel)}` });
    const problem: Problem = { id, question, answer: answer.trim(), meta: { source: file, line } };
    if (level !== undefined) problem.level = level;
    return problem;
  });
}

function parseLevel(raw: unknown): number | undefined {
  if (typeof raw === "number" && Number.isFinite(raw)) return raw;
  const m = /^\s*(?:level\s*)?(\d+(?:\.\d+)?)\s*$/i.exec(String(raw));
  return m ? Number(m[1]) : undefined;
}
