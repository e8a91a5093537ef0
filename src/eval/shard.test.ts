import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { EVAL_PROBLEMS, evalFixture } from "../../test/eval-fixture.js";
import type { LlamaEngine } from "../backends/llama/llama-engine.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { EvalConfig } from "./eval-config.js";
import { ShardMismatchError } from "./errors/shard-mismatch-error.js";
import { summarizeRun } from "./metrics/summarize-run.js";
import { isRunDir, ResultsStore } from "./results-store.js";
import { evaluate, type EvalOptions } from "./run-eval.js";
import { parseShard, shardDirName, shardProblems, type Shard } from "./shard.js";

const tempDir = () => mkdtempSync(join(tmpdir(), "ponder-shard-"));

describe("sharded evaluations", () => {
  let engine: LlamaEngine;
  let base: Omit<EvalOptions, "out">;
  /** Runs one shard as `ponder eval --shard k/n --out <dir>` does. */
  const runShard = (dir: string, shard: Shard, config: Partial<EvalConfig> = {}) =>
    evaluate({ ...base, config: { ...base.config, ...config, shard }, problems: shardProblems(EVAL_PROBLEMS, shard), out: join(dir, shardDirName(shard)) });
  before(async () => {
    ({ engine, options: base } = await evalFixture());
  });
  after(() => engine.dispose());

  it("parses k/n and names the flag for anything else", () => {
    assert.deepEqual(parseShard("2/4"), { index: 2, count: 4 });
    for (const bad of ["0/4", "5/4", "2", "a/b", "2/0", "-1/3"]) assert.throws(() => parseShard(bad), (e: unknown) => e instanceof InvalidOptionError && e.field === "--shard", bad);
  });

  it("slices every problem into exactly one shard, the same on any machine", () => {
    const slices = [1, 2, 3, 4].map((index) => shardProblems(EVAL_PROBLEMS, { index, count: 4 }).map((p) => p.id));
    assert.deepEqual(slices.flat().sort(), EVAL_PROBLEMS.map((p) => p.id).sort());
    assert.deepEqual(slices, [["q0", "q4"], ["q1", "q5"], ["q2"], ["q3"]]);
  });

  it("4 shards merged read as the unsharded run: the same records and a byte-identical summary", async () => {
    const whole = tempDir();
    await evaluate({ ...base, out: whole });
    const sharded = tempDir();
    for (const index of [3, 1, 4, 2]) await runShard(sharded, { index, count: 4 });
    assert.ok(isRunDir(sharded));
    const a = ResultsStore.read(whole);
    const b = ResultsStore.read(sharded);
    assert.deepEqual(b.config, a.config, "the merged configuration is the unsharded run's");
    const key = (r: { problemId: string; strategy: string; budget: number; seed: number }) => `${r.problemId} ${r.strategy} ${r.budget} ${r.seed}`;
    assert.deepEqual(b.records.map(key).sort(), a.records.map(key).sort(), "nothing lost, nothing twice");
    // What the engine found in its cache, and so the FLOPs it spent, depend on what ran beside a call.
    const strip = (r: (typeof a.records)[number]) => ({
      ...r,
      usage: Object.fromEntries(Object.entries(r.usage).map(([m, u]) => [m, { generations: u.generations, calls: u.calls, completionTokens: u.completionTokens, promptSent: u.promptTokens + u.cachedPromptTokens }])),
    });
    const byKey = new Map(a.records.map((r) => [key(r), strip(r)]));
    for (const r of b.records) assert.deepEqual(strip(r), byKey.get(key(r)), "every record as the unsharded run made it (measured cache hits and wall time aside)");
    assert.equal(JSON.stringify(summarizeRun(b.records)), JSON.stringify(summarizeRun(a.records)));
  });

  it("refuses shards made with different options, naming each option, and an incomplete set, naming what is missing", async () => {
    const dir = tempDir();
    await runShard(dir, { index: 1, count: 3 }, { strategies: ["majority"], budgets: [1, 2] });
    await runShard(dir, { index: 2, count: 3 }, { strategies: ["majority"], budgets: [1, 2] });
    assert.throws(() => ResultsStore.read(dir), (e: unknown) => e instanceof ShardMismatchError && /shard 3 of 3 missing/.test(e.message));
    await runShard(dir, { index: 3, count: 3 }, { strategies: ["majority"], budgets: [1, 4], temperature: 0.5 });
    assert.throws(
      () => ResultsStore.read(dir),
      (e: unknown) => e instanceof ShardMismatchError && e.options.join(" ") === "--budgets --temperature" && e.message.includes("shard-3-of-3") && e.message.includes("[1,4]"),
    );
    const other = tempDir();
    await runShard(other, { index: 1, count: 2 }, { strategies: ["majority"], budgets: [1] });
    await runShard(other, { index: 2, count: 3 }, { strategies: ["majority"], budgets: [1] });
    assert.throws(() => ResultsStore.read(other), (e: unknown) => e instanceof ShardMismatchError && e.options[0] === "--shard");
  });
});
