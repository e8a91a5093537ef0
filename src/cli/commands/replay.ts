import type { Command } from "commander";
import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import { problemsFingerprint } from "../../eval/problems-fingerprint.js";
import { DEFAULT_SAMPLES, defaultSamplesPath } from "../../eval/replay/default-samples.js";
import { loadRecordedSamples } from "../../eval/replay/recorded-samples.js";
import { replayConfig, replayRecords } from "../../eval/replay/replay-records.js";
import { replaySelection, type ReplayFigure } from "../../eval/replay/replay-selection.js";
import { ResultsStore } from "../../eval/results-store.js";
import { formatTable, percent } from "../../report/format-table.js";
import { parseInteger, parseIntegerList } from "./parse-flags.js";

interface ReplayFlags {
  ks: string;
  draws: string;
  seed: string;
  out?: string;
  json?: boolean;
}

const RULE_NAMES = { majority: "majority@k", weighted: "reward-weighted@k", best: "best-of-k (top reward)", pass: "pass@k (any right: the ceiling)" };

/** `ponder replay [file]`: selection strategies on recorded samples, without a model. */
export function registerReplay(program: Command): void {
  program
    .command("replay")
    .summary("evaluate majority and reward-weighted selection on recorded model samples")
    .description(
      [
        "Reads recorded samples (one problem a line with `pred`, `score` labels and `pred_score` rewards, as in Qwen2.5-Math's evaluation files) and reports, for each k, how often majority voting, reward-weighted voting (sum of sigmoid(reward) per answer) and the single top-reward sample pick a right answer, by the file's own labels.",
        "`first k` uses each problem's first k samples; `random k` averages --draws seeded random subsets of k. Intervals are 95% bootstrap intervals over problems.",
        "--out also writes the figures as an eval run directory, so `ponder report <out>` draws them.",
        `Without a file, replay reads Qwen2.5-Math's math_cot_100.jsonl (100 MATH problems × 8 samples, MIT), downloaded once from ${DEFAULT_SAMPLES.url} into ponder's cache ($PONDER_CACHE_DIR, else ~/.cache/ponder) and checked by its SHA-256.`,
      ].join("\n\n"),
    )
    .argument("[file]", "recorded samples (JSONL; default: Qwen2.5-Math's math_cot_100.jsonl, downloaded once and cached)")
    .option("--ks <list>", "sample counts k", "1,2,4,8")
    .option("--draws <n>", "random subsets per problem and k", "200")
    .option("--seed <n>", "seed of the random subsets and the bootstrap", "0")
    .option("-o, --out <dir>", "also store the first-k outcomes as a run directory for `ponder report`")
    .option("--json", "print the figures as JSON (one object) instead of a table")
    .addHelpText("after", "\nExamples:\n  ponder replay\n  ponder replay math_cot_100.jsonl --ks 1,2,4,8 --out runs/replay && ponder report runs/replay\n  ponder replay --json | jq '.figures[] | select(.rule == \"majority\")'")
    .action(async (given: string | undefined, flags: ReplayFlags) => {
      const ks = parseIntegerList("--ks", flags.ks, 1);
      const draws = parseInteger("--draws", flags.draws, 1);
      const seed = parseInteger("--seed", flags.seed, 0);
      const file = given ?? (await defaultSamplesPath({ onDownload: (url) => process.stderr.write(`downloading ${url}\n`) }));
      const problems = loadRecordedSamples(file);
      const available = Math.min(...problems.map((p) => p.samples.length));
      if (ks.some((k) => k > available)) throw new InvalidOptionError({ field: "--ks", value: flags.ks, accepted: `values from 1 to ${available}, the fewest samples a problem in ${file} has` });
      const figures = replaySelection(problems, { ks, draws, seed });
      if (flags.json) {
        const rows = figures.map(({ rule, subsets, k, estimate }) => ({ rule, subsets, k, accuracy: estimate.accuracy, low: estimate.low, high: estimate.high, problems: estimate.problems }));
        process.stdout.write(`${JSON.stringify({ file, problems: problems.length, samplesPerProblem: available, draws, seed, figures: rows, ...(flags.out ? { out: flags.out } : {}) })}\n`);
      } else {
        process.stdout.write(`${file}: ${problems.length} problems, ${available} samples each\n\n`);
        process.stdout.write(replayTable(figures, ks) + "\n");
      }
      if (flags.out) {
        const store = ResultsStore.open(flags.out, replayConfig(file, problemsFingerprint(problems.map((p) => ({ id: p.id, question: p.question, answer: p.gold }))), ks));
        try {
          store.append(replayRecords(problems, { ks, canonical: (a) => a.replace(/\s+/g, "") }));
        } finally {
          store.close();
        }
        if (!flags.json) process.stdout.write(`\nstored in ${flags.out}; draw it with: ponder report ${flags.out}\n`);
      }
    });
}

function replayTable(figures: readonly ReplayFigure[], ks: readonly number[]): string {
  const rows = (["first", "random"] as const).flatMap((subsets) =>
    (Object.keys(RULE_NAMES) as (keyof typeof RULE_NAMES)[]).map((rule) => [
      RULE_NAMES[rule],
      subsets === "first" ? "first k" : "random k",
      ...ks.map((k) => {
        const f = figures.find((x) => x.rule === rule && x.subsets === subsets && x.k === k)!;
        return `${percent(f.estimate.accuracy)} [${percent(f.estimate.low, 0)}–${percent(f.estimate.high, 0)}]`;
      }),
    ]),
  );
  return formatTable(["rule", "subsets", ...ks.map((k) => `k=${k}`)], rows, "text");
}
