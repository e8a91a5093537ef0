import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { EvalConfig } from "../eval/eval-config.js";
import { CONFIG_FILE, RESULTS_FILE } from "../eval/results-store.js";
import { shardDirs } from "../eval/shard.js";
import type { Block } from "./report-document.js";

/** What a run was and which data it rests on, for the end of its report. */
export interface RunDescription {
  dir: string;
  config: EvalConfig;
  problems: number;
  records: number;
  /** sha256 of the results file as read, so a report can be matched to the exact records behind it. */
  resultsSha256: string;
}

/** Describes a stored run: its configuration, sizes and the fingerprint of its results file. */
export function describeRun(dir: string, config: EvalConfig, records: readonly { problemId: string }[]): RunDescription {
  const hash = createHash("sha256");
  // A directory of shards: their results files, in shard order, as one.
  const files = existsSync(join(dir, RESULTS_FILE)) ? [join(dir, RESULTS_FILE)] : shardDirs(dir, CONFIG_FILE).map((d) => join(d, RESULTS_FILE)).filter((f) => existsSync(f));
  for (const file of files) hash.update(readFileSync(file));
  const resultsSha256 = hash.digest("hex");
  return { dir, config, problems: new Set(records.map((r) => r.problemId)).size, records: records.length, resultsSha256 };
}

/** The configuration table and data fingerprints of one or more runs, with how the report was computed. */
export function configurationBlocks(runs: readonly { label: string; run: RunDescription }[], { seed, version }: { seed: number; version: string }): Block[] {
  const fields: [string, (c: EvalConfig) => unknown][] = [
    ["dataset", (c) => c.dataset],
    ["problems fingerprint", (c) => c.problems],
    ["policy", (c) => c.policy],
    ["verifier", (c) => c.verifier ?? "none"],
    ["reviser", (c) => c.reviser ?? "none"],
    ["strategies", (c) => c.strategies.join(", ")],
    ["budgets N", (c) => c.budgets.join(", ")],
    ["seeds", (c) => c.seeds.join(", ")],
    ["temperature", (c) => c.temperature],
    ["max tokens (solution / step)", (c) => `${c.maxTokens} / ${c.maxStepTokens}`],
    ["max steps", (c) => c.maxSteps],
    ["step-score aggregation", (c) => c.aggregation],
    ["beam width M", (c) => c.beamWidth],
    ["lookahead", (c) => c.lookahead],
    ["revision chain length", (c) => c.chainLength],
    ["compute policy", (c) => c.computePolicy ?? "none"],
  ];
  const rows = [
    ["run directory", ...runs.map((r) => `\`${r.run.dir}\``)],
    ...fields.map(([name, get]) => [name, ...runs.map((r) => String(get(r.run.config)))]),
    ["problems answered", ...runs.map((r) => String(r.run.problems))],
    ["records", ...runs.map((r) => String(r.run.records))],
    [`${RESULTS_FILE} sha256`, ...runs.map((r) => `\`${r.run.resultsSha256.slice(0, 16)}…\``)],
  ];
  return [
    { kind: "heading", level: 2, text: "Configuration and data", id: "configuration" },
    {
      kind: "paragraph",
      text:
        `Computed by ponder ${version} from the records alone: 95% percentile bootstrap intervals over problems (1,000 resamples, seed ${seed}; a problem's seeds stay together), ` +
        "paired where two cells share problems; difficulty bins and the compute-optimal split fixed by the same seed. The same records give the same report.",
    },
    { kind: "table", header: ["", ...runs.map((r) => r.label)], rows },
  ];
}
