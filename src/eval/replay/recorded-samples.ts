import { readFileSync } from "node:fs";
import { InvalidRecordedSamplesError } from "./errors/invalid-recorded-samples-error.js";

/** One recorded sample of a model's solution, as the file gives it. */
export interface RecordedSample {
  /** The extracted final answer. */
  answer: string;
  /** The file's own correctness label for it. */
  correct: boolean;
  /** The reward model's score of the whole solution (the last entry when it scored several). */
  score: number;
}

/** A problem with its recorded samples. */
export interface RecordedProblem {
  id: string;
  question: string;
  gold: string;
  /** Difficulty level when the file has one ("Level 3" → 3). */
  level?: number;
  samples: RecordedSample[];
}

/**
 * Reads recorded samples in the Qwen2.5-Math evaluation format (one problem a line: `idx`,
 * `question`, `gt`, `level`, and per sample `pred`, `score` (a correctness label) and
 * `pred_score` (reward model scores)), so selection strategies can be studied without a model.
 * Every problem must have as many labels and scores as answers.
 * @example loadRecordedSamples("../shared/data/qwen-math-samples/math_cot_100.jsonl")
 */
export function loadRecordedSamples(path: string): RecordedProblem[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new InvalidRecordedSamplesError({ file: path, line: 0, reason: "cannot be read", cause });
  }
  const problems: RecordedProblem[] = [];
  text.split("\n").forEach((raw, i) => {
    if (raw.trim() === "") return;
    const line = i + 1;
    const fail = (reason: string, cause?: unknown) => new InvalidRecordedSamplesError({ file: path, line, reason, cause });
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(raw) as Record<string, unknown>;
    } catch (cause) {
      throw fail("not valid JSON", cause);
    }
    const preds = row.pred;
    const labels = row.score;
    const scores = row.pred_score;
    if (!Array.isArray(preds) || preds.some((p) => typeof p !== "string")) throw fail("field pred must be an array of strings (the extracted answers)");
    if (!Array.isArray(labels) || labels.length !== preds.length || labels.some((l) => typeof l !== "boolean")) {
      throw fail(`field score must be an array of ${preds.length} booleans (a correctness label per answer in pred)`);
    }
    if (!Array.isArray(scores) || scores.length !== preds.length) throw fail(`field pred_score must be an array of ${preds.length} reward scores (a number or a list of numbers per answer)`);
    const lastScores = scores.map((s) => (Array.isArray(s) ? s[s.length - 1] : s));
    if (lastScores.some((s) => typeof s !== "number" || !Number.isFinite(s))) throw fail("field pred_score holds an entry that is not a finite number");
    if (typeof row.gt !== "string" && typeof row.gt !== "number") throw fail("field gt (the gold answer) must be a string or a number");
    const level = typeof row.level === "number" ? row.level : typeof row.level === "string" ? Number(/\d+/.exec(row.level)?.[0]) : NaN;
    problems.push({
      id: String(row.idx ?? row.id ?? problems.length),
      question: String(row.question ?? row.problem ?? ""),
      gold: String(row.gt),
      ...(Number.isFinite(level) ? { level } : {}),
      samples: preds.map((answer: string, k) => ({ answer, correct: labels[k] as boolean, score: lastScores[k] as number })),
    });
  });
  if (problems.length === 0) throw new InvalidRecordedSamplesError({ file: path, line: 0, reason: "holds no problems" });
  return problems;
}
