import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import { DatasetError } from "../../datasets/errors/dataset-error.js";
import type { AnswersEqualOptions } from "../../grading/answers-equal.js";
import { caseSettings, gradePair, type ExtractFrom, type GradingCase, type PairGrade } from "../../grading/grade-pair.js";
import { ExitStatus } from "../exit-status.js";
import { parseChoice, parseInteger } from "./parse-flags.js";

interface GradeFlags {
  cases?: string;
  out?: string;
  summary?: boolean;
  gold?: string;
  pred?: string;
  question?: string;
  extract: string;
  timeout: string;
  ignoreSettings?: boolean;
  json?: boolean;
  strict: boolean;
}

const EXTRACT: readonly ExtractFrom[] = ["both", "pred", "none"];

/** Exit statuses of `ponder grade` for one pair. */
const EQUAL = 0;
const DIFFERENT = 1;
const BAD_INPUT = 2;
const UNDECIDED = 3;

/** `ponder grade`: are two final answers the same answer? For one pair, or every line of a JSONL file. */
export function registerGrade(program: Command): void {
  program
    .command("grade")
    .summary("decide whether answers are equivalent (one pair, or a JSONL file of gold/pred pairs)")
    .description(
      [
        "Extracts the final answer of each text (the last \\boxed{}, \"The answer is …\", \"Answer:\", GSM8K's \"#### n\", the last sentence's result) and decides whether the two are the same answer: numbers (exact at any size), fractions, percentages, units, LaTeX and Unicode mathematics, symbolic expressions (at random points that cover the functions involved), complex numbers, tuples, lists, intervals, sets, equations, matrices and multiple-choice letters.",
        "Each verdict names the rule that decided it (`reason`). A comparison ends within --timeout; one that does not, or that cannot be decided (values beyond double range with equal magnitudes), is neither equal nor different (`equal: null`).",
        "For one pair (--gold with --pred) the exit status is the verdict: 0 equal, 1 different, 2 bad input, 3 undecided (time limit or unknown).",
        "--cases reads JSONL lines holding `gold` and `pred` (and optionally `question` or `problem`) and writes each line back, in order, with `equal` set to ponder's verdict (a line's own `equal` label is kept as `expected`) and `extracted` holding the two answers compared, how, and the deciding rule. Lines that carry a grader's settings (`comparator_kwargs`: precision, strict, allow_set_relation_comp, match_types, boxed_match_priority) are graded under them unless --ignore-settings. A malformed line is reported on stderr and skipped; the exit status is then 2.",
        "--summary prints, on stderr, how often the verdicts agree with the lines' own labels and lists the disagreements with their rules.",
      ].join("\n\n"),
    )
    .option("--cases <file.jsonl>", "JSONL file of {gold, pred[, equal, question]} lines")
    .option("-o, --out <file>", "write the graded lines here instead of standard output")
    .option("--summary", "print agreement with the lines' own `equal` labels (stderr)")
    .option("--gold <answer>", "grade one pair: the gold answer (or a text stating it)")
    .option("--pred <answer>", "grade one pair: the predicted answer (or a whole solution)")
    .option("--question <text>", "grade one pair: the question (it can say whether a list's order matters)")
    .option("--extract <which>", `which texts to extract a final answer from: ${EXTRACT.join(", ")}`, "both")
    .option("--timeout <ms>", "time limit of one comparison, extraction included, in milliseconds", "1000")
    .option("--no-strict", "accept a consistent renaming of variables (f(y) = y^2 for f(x) = x^2), like Math-Verify's strict=False")
    .option("--ignore-settings", "grade every line with the default settings, whatever comparator_kwargs says")
    .option("--json", "for one pair: print {equal, gold, pred, how, reason, ms}")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        '  ponder grade --gold "\\frac{1}{2}" --pred "The answer is $0.5$."     # exit 0: equal\n' +
        '  ponder grade --gold "2,4,3" --pred "2,3,4" --json                   # exit 1: different (the order is the answer)\n' +
        "  ponder grade --cases ../shared/data/answer-equivalence/cases.jsonl --summary > graded.jsonl",
    )
    .action(async (flags: GradeFlags) => {
      const from = parseChoice("--extract", flags.extract, EXTRACT);
      const timeoutMs = parseInteger("--timeout", flags.timeout, 1);
      if (flags.cases !== undefined) {
        if (flags.gold !== undefined || flags.pred !== undefined) throw new InvalidOptionError({ field: "--cases", value: flags.cases, accepted: "either --cases or --gold with --pred, not both" });
        const bad = await gradeFile(flags.cases, { from, timeoutMs, strict: flags.strict, out: flags.out, summary: flags.summary === true, settings: flags.ignoreSettings !== true });
        if (bad > 0) throw new ExitStatus(BAD_INPUT);
        return;
      }
      if (flags.gold === undefined || flags.pred === undefined) throw new InvalidOptionError({ field: flags.gold === undefined ? "--gold" : "--pred", value: undefined, accepted: "both --gold and --pred, or --cases <file.jsonl>" });
      const options: AnswersEqualOptions = { timeoutMs, strict: flags.strict };
      if (flags.question !== undefined) options.question = flags.question;
      const grade = gradePair(flags.gold, flags.pred, { from, options });
      if (flags.json) process.stdout.write(`${JSON.stringify(grade)}\n`);
      else process.stdout.write(`${verdictWord(grade)}  (gold ${JSON.stringify(grade.gold)}, pred ${JSON.stringify(grade.pred)}; ${grade.reason})\n`);
      const status = grade.equal === true ? EQUAL : grade.equal === false ? DIFFERENT : UNDECIDED;
      if (status !== EQUAL) throw new ExitStatus(status);
    });
}

function verdictWord(grade: PairGrade): string {
  return grade.equal === true ? "equal" : grade.equal === false ? "not equal" : grade.how === "timeout" ? "undecided (time limit)" : "undecided";
}

/**
 * Grades a JSONL file line by line (streamed, so any size works), writing lines in input order.
 * A malformed line is reported and skipped; returns how many there were.
 */
async function gradeFile(file: string, { from, timeoutMs, strict, out, summary, settings }: { from: ExtractFrom; timeoutMs: number; strict: boolean; out?: string | undefined; summary: boolean; settings: boolean }): Promise<number> {
  if (!existsSync(file)) throw new DatasetError({ file, problem: "no such file" });
  const sink = out ? createWriteStream(out) : process.stdout;
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  let lineNo = 0;
  let graded = 0;
  let labelled = 0;
  let agree = 0;
  let bad = 0;
  const misses: string[] = [];
  for await (const raw of lines) {
    lineNo++;
    if (raw.trim() === "") continue;
    const row = readRow(file, lineNo, raw);
    if (row instanceof DatasetError) {
      bad++;
      process.stderr.write(`ponder: ${row.message} (line skipped)\n`);
      continue;
    }
    const c: GradingCase = { gold: String(row.gold), pred: String(row.pred) };
    if (typeof row.comparator === "string") c.comparator = row.comparator;
    if (row.comparator_kwargs && typeof row.comparator_kwargs === "object") c.comparator_kwargs = row.comparator_kwargs as Record<string, unknown>;
    const chosen = settings ? caseSettings(c) : { extraction: undefined, options: {} };
    const question = typeof row.question === "string" ? row.question : typeof row.problem === "string" ? row.problem : undefined;
    const options: AnswersEqualOptions = { strict, ...chosen.options, timeoutMs };
    if (question !== undefined) options.question = question;
    const grade = gradePair(c.gold, c.pred, chosen.extraction ? { from, extraction: chosen.extraction, options } : { from, options });
    const { equal: expected, ...rest } = row;
    const line = { ...rest, ...(typeof expected === "boolean" ? { expected } : {}), equal: grade.equal, extracted: { gold: grade.gold, pred: grade.pred, how: grade.how, reason: grade.reason } };
    if (!sink.write(`${JSON.stringify(line)}\n`)) await new Promise<void>((r) => sink.once("drain", () => r()));
    graded++;
    if (typeof expected === "boolean") {
      labelled++;
      if (expected === grade.equal) agree++;
      else misses.push(`  line ${lineNo}: label ${expected}, ponder ${grade.equal}: ${JSON.stringify(grade.gold)} vs ${JSON.stringify(grade.pred)} (${grade.reason})`);
    }
  }
  if (out) await new Promise<void>((resolve, reject) => (sink as ReturnType<typeof createWriteStream>).end((error?: Error | null) => (error ? reject(error) : resolve())));
  if (summary) {
    const share = labelled > 0 ? ` = ${((100 * agree) / labelled).toFixed(2)}%` : "";
    const skipped = bad > 0 ? `; ${bad} malformed line${bad === 1 ? "" : "s"} skipped` : "";
    process.stderr.write(`graded ${graded} lines; agreement with their own labels: ${agree}/${labelled}${share}${skipped}\n${misses.join("\n")}${misses.length ? "\n" : ""}`);
  }
  return bad;
}

/** The line as an object with string or number `gold` and `pred`, or the error that names what is wrong. */
function readRow(file: string, line: number, raw: string): Record<string, unknown> | DatasetError {
  let row: unknown;
  try {
    row = JSON.parse(raw);
  } catch (error) {
    return new DatasetError({ file, line, problem: `not valid JSON (${(error as Error).message})` });
  }
  if (typeof row !== "object" || row === null || Array.isArray(row)) return new DatasetError({ file, line, problem: "expected a JSON object with gold and pred" });
  const record = row as Record<string, unknown>;
  for (const field of ["gold", "pred"] as const) {
    if (typeof record[field] !== "string" && typeof record[field] !== "number") return new DatasetError({ file, line, field, problem: `expected a string or number, found ${JSON.stringify(record[field])}` });
  }
  return record;
}
