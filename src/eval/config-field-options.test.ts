import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DEFAULT_EVAL_CONFIG, type EvalConfig } from "./eval-config.js";
import { RunConfigMismatchError } from "./errors/run-config-mismatch-error.js";
import { ResultsStore } from "./results-store.js";

const config = (over: Partial<EvalConfig>): EvalConfig => ({
  ...DEFAULT_EVAL_CONFIG,
  strategies: [...DEFAULT_EVAL_CONFIG.strategies],
  budgets: [...DEFAULT_EVAL_CONFIG.budgets],
  seeds: [...DEFAULT_EVAL_CONFIG.seeds],
  dataset: "synthetic",
  problems: "3f9a0c1d2e4b",
  policy: "policy-small",
  verifier: "prm",
  reviser: null,
  problemCount: 40,
  ...over,
});

test("a changed run is refused naming the options that differ, the problems by count rather than fingerprint", () => {
  const dir = mkdtempSync(join(tmpdir(), "ponder-mismatch-"));
  ResultsStore.open(dir, config({})).close();
  // The README's main job (40 problems, levels 2-6) then `eval --help`'s example (--limit 50) on the same --out.
  assert.throws(
    () => ResultsStore.open(dir, config({ problems: "77aa01bb02cc", problemCount: 50, maxTokens: 128 })),
    (e: unknown) =>
      e instanceof RunConfigMismatchError &&
      /holds a run made with other options: .*Resume it with the same options, or write to a new --out directory$/.test(e.message) &&
      e.message.includes(`the problems (--dataset, --limit, --levels, --problem-seed, or the dataset file's content) (stored "40 problems", requested "50 problems")`) &&
      e.message.includes("--max-tokens (stored 256, requested 128)") &&
      !e.message.includes("77aa01bb02cc"),
  );
  assert.throws(() => ResultsStore.open(dir, config({ problems: "77aa01bb02cc" })), /stored "40 problems", requested "40 other problems"/);
  // problemCount alone is not a difference: runs stored before it existed still resume.
  const { problemCount: _dropped, ...older } = config({});
  ResultsStore.open(dir, older).close();
});
