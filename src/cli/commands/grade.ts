import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import { DatasetError } from "../../datasets/errors/dataset-error.js";
import { caseSettings, gradePair, type ExtractFrom, type GradingCase } from "../../grading/grade-pair.js";
import { parseChoice } from "./parse-flags.js";

interface GradeFlags {
  cases?: string;
  out?: string;
  summary?: boolean;
  gold?: string;
  pred?: string;
  extract: string;
  ignoreSettings?: boolean;
  json?: boolean;
}

const EXTRACT: readonly ExtractFrom[] = ["both", "pred", "none"];

/** `ponder grade`: are two final answers the same answer? For one pair, or every line of a JSONL file. */
export function registerGrade(program: Command): void {
  program
    .command("grade")
    .summary("decide whether answers are equivalent (one pair, or a JSONL file of gold/pred pairs)")
    .description(
      [
        "Extracts the final answer of each text (the last \\boxed{}, \"The answer is …\", \"Answer: …\", GSM8K's \"#### n\", a final number) and decides whether the two are the same answer: numbers, fractions, percentages, units, LaTeX, symbolic expressions (exactly, then at random points), tuples, intervals, sets, equations, matrices and multiple-choice letters.",
        "--cases reads JSONL lines holding `gold` and `pred` and writes each line back, in order, with `equal` set to ponder's verdict (a line's own `equal` label is kept as `expected`) and `extracted` holding the two answers compared. Lines that carry a grader's settings (`comparator_kwargs`: precision, strict, allow_set_relation_comp, match_types) are graded under them unless --ignore-settings.",
        "--summary prints, on stderr, how often the verdicts agree with the lines' own labels and lists the disagreements.",
      ].join("\n\n"),
    )
    .option("--cases <file.jsonl>", "JSONL file of {gold, pred[, equal]} lines")
    .option("-o, --out <file>", "write the graded lines here instead of standard output")
    .option("--summary", "print agreement with the lines' own `equal` labels (stderr)")
    .option("--gold <answer>", "grade one pair: the gold answer (or a text stating it)")
    .option("--pred <answer>", "grade one pair: the predicted answer (or a whole solution)")
    .option("--extract <which>", `which texts to extract a final answer from: ${EXTRACT.join(", ")}`, "both")
    .option("--ignore-settings", "grade every line with the default settings, whatever comparator_kwargs says")
    .option("--json", "for one pair: print {equal, gold, pred, how, ms}")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        '  ponder grade --gold "\\frac{1}{2}" --pred "The answer is $0.5$."\n' +
        "  ponder grade --cases ../shared/data/answer-equivalence/cases.jsonl --summary > graded.jsonl",
    )
    .action(async (flags: GradeFlags) => {
      const from = parseChoice("--extract", flags.extract, EXTRACT);
      if (flags.cases !== undefined) {
        if (flags.gold !== undefined || flags.pred !== undefined) throw new InvalidOptionError({ field: "--cases", value: flags.cases, accepted: "either --cases or --gold with --pred, not both" });
        await gradeFile(flags.cases, { from, out: flags.out, summary: flags.summary === true, settings: flags.ignoreSettings !== true });
        return;
      }
      if (flags.gold === undefined || flags.pred === undefined) throw new InvalidOptionError({ field: flags.gold === undefined ? "--gold" : "--pred", value: undefined, accepted: "both --gold and --pred, or --cases <file.jsonl>" });
      const grade = gradePair(flags.gold, flags.pred, { from });
      if (flags.json) process.stdout.write(`${JSON.stringify(grade)}\n`);
      else process.stdout.write(`${grade.equal ? "equal" : "not equal"}  (gold ${JSON.stringify(grade.gold)}, pred ${JSON.stringify(grade.pred)}; ${grade.how})\n`);
    });
}

/** Grades a JSONL file line by line (streamed, so any size works), writing lines in input order. */
async function gradeFile(file: string, { from, out, summary, settings }: { from: ExtractFrom; out?: string; summary: boolean; settings: boolean }): Promise<void> {
  if (!existsSync(file)) throw new DatasetError({ file, problem: "no such file" });
  const sink = out ? createWriteStream(out) : process.stdout;
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  let lineNo = 0;
  let graded = 0;
  let labelled = 0;
  let agree = 0;
  const misses: string[] = [];
  for await (const raw of lines) {
    lineNo++;
    if (raw.trim() === "") continue;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(raw) as Record<string, unknown>;
    } catch (error) {
      throw new DatasetError({ file, line: lineNo, problem: `not valid JSON (${(error as Error).message})` });
    }
    for (const field of ["gold", "pred"] as const) {
      if (typeof row[field] !== "string" && typeof row[field] !== "number") throw new DatasetError({ file, line: lineNo, field, problem: `expected a string or number, found ${JSON.stringify(row[field])}` });
    }
    const c: GradingCase = { gold: String(row.gold), pred: String(row.pred) };
    if (typeof row.comparator === "string") c.comparator = row.comparator;
    if (row.comparator_kwargs && typeof row.comparator_kwargs === "object") c.comparator_kwargs = row.comparator_kwargs as Record<string, unknown>;
    const grade = gradePair(c.gold, c.pred, { from, ...(settings ? caseSettings(c) : {}) });
    const { equal: expected, ...rest } = row;
    const line = { ...rest, ...(typeof expected === "boolean" ? { expected } : {}), equal: grade.equal, extracted: { gold: grade.gold, pred: grade.pred, how: grade.how } };
    if (!sink.write(`${JSON.stringify(line)}\n`)) await new Promise<void>((r) => sink.once("drain", () => r()));
    graded++;
    if (typeof expected === "boolean") {
      labelled++;
      if (expected === grade.equal) agree++;
      else misses.push(`  line ${lineNo}: label ${expected}, ponder ${grade.equal}: ${JSON.stringify(grade.gold)} vs ${JSON.stringify(grade.pred)} (${grade.how})`);
    }
  }
  if (out) await new Promise<void>((resolve, reject) => (sink as ReturnType<typeof createWriteStream>).end((error?: Error | null) => (error ? reject(error) : resolve())));
  if (summary) {
    const share = labelled > 0 ? ` = ${((100 * agree) / labelled).toFixed(2)}%` : "";
    process.stderr.write(`graded ${graded} lines; agreement with their own labels: ${agree}/${labelled}${share}\n${misses.join("\n")}${misses.length ? "\n" : ""}`);
  }
}
