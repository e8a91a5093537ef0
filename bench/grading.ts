// Grading figures (issue 3): comparisons per second over the answer-equivalence cases (extraction
// included, each case under its own grader settings), and the slowest single comparison.
// The first pass is cold (every answer parsed afresh); later passes hit the parse cache, as
// voting does when the same candidate answers are compared again and again.
//   node --import tsx bench/grading.ts [--passes 20]
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { sharedDataPath } from "../src/datasets/shared-data.js";
import { caseSettings, gradePair, type GradingCase } from "../src/grading/grade-pair.js";

const { values } = parseArgs({ options: { passes: { type: "string", default: "20" } } });
const passes = Number(values.passes);
const cases = readFileSync(sharedDataPath("answer-equivalence/cases.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as GradingCase & { line: number; source_file: string });
const settings = cases.map((c) => caseSettings(c));

let slowest = { ms: 0, what: "" };
const rates: number[] = [];
for (let pass = 0; pass < passes; pass++) {
  const started = performance.now();
  cases.forEach((c, i) => {
    const t = performance.now();
    gradePair(c.gold, c.pred, settings[i]!);
    const ms = performance.now() - t;
    if (pass === 0 && ms > slowest.ms) slowest = { ms, what: `${c.source_file}:${c.line} ${JSON.stringify(c.gold).slice(0, 50)} vs ${JSON.stringify(c.pred).slice(0, 50)}` };
  });
  rates.push(cases.length / ((performance.now() - started) / 1000));
}
const warm = rates.slice(1).sort((a, b) => a - b);
console.log(`cases: ${cases.length}; passes: ${passes}`);
console.log(`cold pass (first, nothing cached): ${rates[0]!.toFixed(0)} comparisons/s`);
if (warm.length > 0) console.log(`warm passes (median of ${warm.length}): ${warm[Math.floor(warm.length / 2)]!.toFixed(0)} comparisons/s  (target ≥ 2,000/s)`);
console.log(`slowest single comparison (cold): ${slowest.ms.toFixed(1)} ms — ${slowest.what}`);
