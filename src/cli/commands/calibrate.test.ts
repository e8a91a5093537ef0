import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { tinyModelPath } from "../../../test/tiny-model.js";
import { parsePolicy } from "../../compute-optimal/policy.js";
import { ResultsStore } from "../../eval/results-store.js";
import { runPonder } from "../../../test/run-cli.js";


test("ponder eval → calibrate → eval --strategies auto: a policy chosen on one split runs on another, its file pinned in the run", async () => {
  const model = await tinyModelPath({ seed: 3, arithmetic: true });
  const dir = mkdtempSync(join(tmpdir(), "ponder-calibrate-"));
  const common = ["--policy", model, "--verifier", model, "--max-tokens", "24", "--max-step-tokens", "8", "--max-steps", "3"];
  const calibration = await runPonder(["eval", "--limit", "12", "--problem-seed", "500", "--strategies", "majority,weighted-best-of-n,beam-search", "--budgets", "4,8", ...common, "--out", join(dir, "cal")]);
  assert.equal(calibration.code, 0, calibration.stderr);

  const sweep = await runPonder(["eval", "--limit", "12", "--problem-seed", "500", "--strategies", "revisions", "--chain-length", "2", "--reviser", model, "--budgets", "4,8", ...common, "--out", join(dir, "cal-s2")]);
  assert.equal(sweep.code, 0, sweep.stderr);
  const elsewhere = await runPonder(["eval", "--limit", "12", "--problem-seed", "600", "--strategies", "majority", "--budgets", "4", ...common, "--out", join(dir, "other")]);
  assert.equal(elsewhere.code, 0, elsewhere.stderr);
  const mixed = await runPonder(["calibrate", join(dir, "cal"), join(dir, "other"), "--out", join(dir, "mixed.json")]);
  assert.equal(mixed.code, 2);
  assert.match(mixed.stderr, /same problems/);

  const policyFile = join(dir, "policy.json");
  const calibrate = await runPonder(["calibrate", join(dir, "cal"), join(dir, "cal-s2"), "--out", policyFile, "--bins", "2"]);
  assert.equal(calibrate.code, 0, calibrate.stderr);
  assert.match(calibrate.stdout, /2-fold cross-validated accuracy\nN +accuracy +generations +processed FLOPs\n[- ]+\n4 +\d+\.\d%/);
  assert.match(calibrate.stdout, /compute-optimal (against|never reaches) weighted best-of-N/);
  assert.ok(calibrate.stdout.split("\n").every((line) => line.length <= 80), `lines fit 80 columns:\n${calibrate.stdout}`);
  const json = await runPonder(["calibrate", join(dir, "cal"), join(dir, "cal-s2"), "--out", join(dir, "policy-json.json"), "--bins", "2", "--json"]);
  assert.equal(json.code, 0, json.stderr);
  const summary = JSON.parse(json.stdout) as { choices: { bin: number; budget: number }[]; crossValidated: { budget: number; accuracy: number }[]; configurations: number };
  assert.ok(summary.choices.length > 0 && summary.crossValidated.some((c) => c.budget === 4));
  assert.match(calibrate.stdout, /calibration instances, (\d+) configurations/);
  const configurations = Number(/instances, (\d+) configurations/.exec(calibrate.stdout)![1]);
  const alone = await runPonder(["calibrate", join(dir, "cal"), "--out", join(dir, "alone.json"), "--bins", "2"]);
  assert.ok(configurations > Number(/instances, (\d+) configurations/.exec(alone.stdout)![1]), "the pooled revisions run adds configurations");
  const policy = parsePolicy(JSON.parse(readFileSync(policyFile, "utf8")), policyFile);
  assert.equal(policy.bins.count, 2);
  assert.equal(policy.probe.samples, 4);
  assert.ok(policy.choices.every((c) => c.budget >= 4));

  const applied = await runPonder(["eval", "--limit", "4", "--strategies", "auto", "--compute-policy", policyFile, "--reviser", model, "--budgets", "8", ...common, "--out", join(dir, "auto")]);
  assert.equal(applied.code, 0, applied.stderr);
  const { config, records } = ResultsStore.read(join(dir, "auto"));
  assert.match(config.computePolicy!, /policy\.json#[0-9a-f]{12}$/);
  assert.equal(records.length, 4);
  assert.ok(records.every((r) => r.strategy === "auto"));

  const missing = await runPonder(["eval", "--limit", "4", "--strategies", "auto", ...common, "--out", join(dir, "none")]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /compute-policy/);
  const tooSmall = await runPonder(["calibrate", join(dir, "auto"), "--out", join(dir, "p2.json")]);
  assert.equal(tooSmall.code, 2);
  assert.match(tooSmall.stderr, /weighted-best-of-n at N ≥ 4 on at least 10 problems/);

  // An unfinished run (its last problems' records missing) is refused unless asked for.
  const results = join(dir, "cal", "results.jsonl");
  const lines = readFileSync(results, "utf8").trim().split("\n");
  writeFileSync(results, lines.slice(0, Math.floor(lines.length / 2)).join("\n") + "\n");
  const unfinished = await runPonder(["calibrate", join(dir, "cal"), "--out", join(dir, "half.json"), "--bins", "1"]);
  assert.equal(unfinished.code, 2);
  assert.match(unfinished.stderr, new RegExp(`holds ${Math.floor(lines.length / 2)} of the ${lines.length} records its eval planned \\(50%\\); finish it .* or pass --allow-incomplete`));
  const allowed = await runPonder(["calibrate", join(dir, "cal"), "--out", join(dir, "half.json"), "--bins", "1", "--allow-incomplete"]);
  assert.equal(allowed.code, 0, allowed.stderr);
});
