import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runPonder } from "../../../test/run-cli.js";
import { tinyModelPath } from "../../../test/tiny-model.js";

test("ponder eval --json prints one JSON object on stdout (progress on stderr), the same figures as the tables", async () => {
  const model = await tinyModelPath({ seed: 3, arithmetic: true });
  const dir = mkdtempSync(join(tmpdir(), "ponder-eval-json-"));
  const args = ["eval", "--limit", "3", "--policy", model, "--strategies", "majority", "--budgets", "1,2", "--max-tokens", "16", "--out", join(dir, "run")];
  const json = await runPonder([...args, "--json"]);
  assert.equal(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout) as { out: string; problems: number; cells: { strategy: string; budget: number; accuracy: number; low: number; high: number; compute: { generations: number } }[] };
  assert.equal(out.out, join(dir, "run"));
  assert.equal(out.problems, 3);
  assert.deepEqual(out.cells.map((c) => [c.strategy, c.budget, c.compute.generations]), [["majority", 1, 1], ["majority", 2, 2]]);
  assert.ok(out.cells.every((c) => c.low <= c.accuracy && c.accuracy <= c.high));
  // Resumed (nothing left to run), the text form prints the same accuracy.
  const text = await runPonder(args);
  assert.equal(text.code, 0, text.stderr);
  const [n1, n2] = out.cells.map((c) => `${(c.accuracy * 100).toFixed(1)}%`);
  assert.match(text.stdout, new RegExp(`\\nmajority +${n1} \\[[^\\]]*\\] +${n2} \\[`));
});
