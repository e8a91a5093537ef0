import { readFileSync } from "node:fs";
import { sharedDataPath } from "../datasets/shared-data.js";
import { extractionPresets } from "./extraction-presets.js";
import { caseSettings, gradePair, type ExtractFrom, type GradingCase, type PairGrade } from "./grade-pair.js";
import type { AnswersEqualOptions } from "./answers-equal.js";
import type { ExtractionOptions } from "./extraction-presets.js";

/** One labelled pair: a gold answer or solution, a prediction, and whether people (or a grader's test) call them equal. */
export interface LabelledPair {
  id: string;
  gold: string;
  pred: string;
  label: boolean;
  from: ExtractFrom;
  extraction: ExtractionOptions;
  options: AnswersEqualOptions;
  /** The extraction preset's name, for another grader (an earlier ponder) to look up its own. */
  preset: keyof typeof extractionPresets;
  /** The case as its suite wrote it, settings included, for another grader to read under its own rules. */
  case?: GradingCase;
}

/**
 * A grader with ponder's interface: this one, or an earlier checkout of ponder loaded by the
 * grading bench to measure before and after side by side.
 */
export interface Grader {
  gradePair: (gold: string, pred: string, how: { from?: ExtractFrom; extraction?: ExtractionOptions; options?: AnswersEqualOptions }) => { equal: boolean | null; gold: string | null; pred: string | null; how: string; reason?: string };
  caseSettings: (c: GradingCase) => { extraction: ExtractionOptions; options: AnswersEqualOptions };
  extractionPresets: Partial<Record<string, ExtractionOptions>>;
}

export const currentGrader: Grader = { gradePair, caseSettings, extractionPresets };

/** How ponder's verdicts compare with the labels of a set of pairs. */
export interface Agreement {
  name: string;
  n: number;
  agree: number;
  /** Ponder said equal; the label says different. */
  falseEqual: number;
  /** Ponder said different; the label says equal. */
  falseDifferent: number;
  /** Ponder could not decide (time limit, values beyond range); counted as not equal in `agree`. */
  undecided: number;
  misses: { pair: LabelledPair; grade: Pick<PairGrade, "equal" | "gold" | "pred"> & { how: string; reason?: string } }[];
}

function readJsonl<T>(relative: string): T[] {
  return readFileSync(sharedDataPath(relative), "utf8").trim().split("\n").map((l) => JSON.parse(l) as T);
}

/** The answer-equivalence cases of other graders' suites, each under its grader's settings. */
export function equivalenceCases(): LabelledPair[] {
  type Row = GradingCase & { equal: boolean; source_file: string; line: number };
  return readJsonl<Row>("answer-equivalence/cases.jsonl").map((c, i) => ({ id: `case ${i + 1} (${c.source_file}:${c.line})`, gold: c.gold, pred: c.pred, label: c.equal, from: "both", preset: "math", case: c, ...caseSettings(c) }));
}

const GSM8K_MODELS = ["6b_finetuning", "6b_verification", "175b_finetuning", "175b_verification"] as const;

/** GSM8K's example solutions of four GPT-3 models, labelled correct or not (5,276 pairs). */
export function gsm8kSolutions(): LabelledPair[] {
  type Row = Record<string, unknown> & { question: string; ground_truth: string };
  const out: LabelledPair[] = [];
  readJsonl<Row>("gsm8k/example_model_solutions.jsonl").forEach((row, i) => {
    for (const model of GSM8K_MODELS) {
      const s = row[model] as { is_correct: boolean; solution: string } | undefined;
      if (s) out.push({ id: `gsm8k ${i} ${model}`, gold: row.ground_truth, pred: s.solution, label: s.is_correct, from: "both", preset: "gsm8k", extraction: extractionPresets.gsm8k, options: { question: row.question } });
    }
  });
  return out;
}

/** Qwen2.5-Math's sampled MATH solutions, 8 per problem, scored by its own grader (800 pairs). */
export function qwenMathSamples(): LabelledPair[] {
  type Row = { idx: number; question: string; gt: string; code: string[]; score: boolean[] };
  return readJsonl<Row>("qwen-math-samples/math_cot_100.jsonl").flatMap((row) =>
    row.code.map((response, i) => ({ id: `qwen problem ${row.idx} sample ${i}`, gold: row.gt, pred: response, label: row.score[i]!, from: "pred" as const, preset: "math" as const, extraction: extractionPresets.math, options: { question: row.question } })),
  );
}

/**
 * Grades every pair and counts agreement, false "equal", false "different" and undecided pairs.
 * Another `grader` reads each pair under its own settings and extraction presets.
 */
export function agreementOn(name: string, pairs: readonly LabelledPair[], timeoutMs?: number, grader: Grader = currentGrader): Agreement {
  const result: Agreement = { name, n: pairs.length, agree: 0, falseEqual: 0, falseDifferent: 0, undecided: 0, misses: [] };
  for (const pair of pairs) {
    const own = grader === currentGrader ? pair : pair.case ? grader.caseSettings(pair.case) : { extraction: grader.extractionPresets[pair.preset] ?? grader.extractionPresets.math, options: pair.options };
    const options = timeoutMs === undefined ? own.options : { ...own.options, timeoutMs };
    const grade = grader.gradePair(pair.gold, pair.pred, { from: pair.from, extraction: own.extraction, options });
    if (grade.equal === null) result.undecided++;
    const equal = grade.equal === true;
    if (equal === pair.label) result.agree++;
    else {
      if (equal) result.falseEqual++;
      else result.falseDifferent++;
      result.misses.push({ pair, grade });
    }
  }
  return result;
}

/** "gsm8k: 5276/5276 = 100.00% agree; false equal 0, false different 0, undecided 0". */
export function formatAgreement(a: Agreement): string {
  const pct = (k: number) => `${((100 * k) / Math.max(1, a.n)).toFixed(2)}%`;
  return `${a.name}: ${a.agree}/${a.n} = ${pct(a.agree)} agree; false "equal" ${a.falseEqual} (${pct(a.falseEqual)}), false "different" ${a.falseDifferent} (${pct(a.falseDifferent)}), undecided ${a.undecided}`;
}
