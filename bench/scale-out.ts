// Scale-out (issue 20), measured side by side in one run on llama.cpp's own server:
// 1. one model on R llama-server replicas under a beam-search eval (`ponder eval`): the prompt-cache
//    hit rate with prefix affinity, with round-robin and on a single replica, and the throughput;
//    the summaries must be identical (every sample carries its seed, wherever it is drawn).
// 2. a replica killed (SIGKILL) in the middle of the eval: it finishes on the others, every record
//    once, and its summary equals the undisturbed run's.
// 3. the same eval in 4 shards (`--shard k/4`), merged by reading the directory: byte-identical summary.
// Each replica runs one thread (-t 1). On a 2-core machine shared with others, R replicas plus
// ponder's own PRM contend for the cores: throughput ratios say little about a real fleet; cache
// hit rates and identities do not depend on it.
//   npm run bench -- scale-out [--problems 12] [--budget 8] [--replicas 2] [--slots 2] [--concurrency 8] [--cache-ram MiB] [--cache-only]
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { addUsage, type Usage } from "../src/core/usage.js";
import { REPO_ROOT } from "../src/datasets/shared-data.js";
import { summarizeRun } from "../src/eval/metrics/summarize-run.js";
import { ResultsStore } from "../src/eval/results-store.js";
import { shippedModel, startLlamaServer, type LlamaServer } from "../test/llama-server.js";

const { values } = parseArgs({
  options: {
    problems: { type: "string", default: "12" },
    budget: { type: "string", default: "8" },
    replicas: { type: "string", default: "2" },
    slots: { type: "string", default: "2" },
    concurrency: { type: "string", default: "8" },
    "cache-ram": { type: "string" },
    "cache-only": { type: "boolean", default: false },
  },
});
const problems = Number(values.problems);
const budget = Number(values.budget);
const replicaCount = Number(values.replicas);
// Fewer slots than problems in flight: each slot keeps one prompt's cache, so where a call lands matters.
const slots = Number(values.slots);
const concurrency = Number(values.concurrency);
const root = mkdtempSync(join(tmpdir(), "ponder-scale-out-"));

// llama-server also keeps prompts in host memory (--cache-ram, 8 GiB by default), far more than a GPU
// engine's KV cache holds for a real model; --cache-ram 0 leaves only the slots, as under memory pressure.
const cacheRam = values["cache-ram"] === undefined ? [] : ["--cache-ram", values["cache-ram"]];
const start = () => startLlamaServer({ model: shippedModel("policy-small"), slots, contextPerSlot: 2048, args: cacheRam });
const spec = (servers: LlamaServer[], extra = "") => `${servers.map((s) => s.baseURL).join(",")}?model=policy-small&template=ponder-demo${extra}`;

/** `ponder eval` (a child process, as a user runs it) with a beam search at one budget; calls `during` every 200 ms while it runs. */
async function evalRun(name: string, policy: string, extra: string[] = [], during?: (out: string) => void): Promise<{ out: string; seconds: number; stderr: string }> {
  const out = join(root, name);
  const args = ["bin/ponder.js", "eval", "--policy", policy, "--verifier", "prm", "--strategies", "beam-search", "--budgets", String(budget), "--beam-width", "2"];
  args.push("--limit", String(problems), "--levels", "2-6", "--concurrency", String(concurrency), "--threads", "1", "--out", out, ...extra);
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const timer = during ? setInterval(() => during(out), 200) : null;
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (timer) clearInterval(timer);
  if (code !== 0) throw new Error(`ponder eval (${name}) exited with ${code}: ${stderr.slice(-2000)}`);
  return { out, seconds: (performance.now() - started) / 1000, stderr };
}

/** The run's summary as JSON, and its hash. */
function summary(dir: string): { json: string; sha: string; records: number; unique: number } {
  const { records } = ResultsStore.read(dir);
  const json = JSON.stringify(summarizeRun(records));
  const keys = new Set(records.map((r) => `${r.problemId} ${r.strategy} ${r.budget} ${r.seed}`));
  return { json, sha: createHash("sha256").update(json).digest("hex").slice(0, 16), records: records.length, unique: keys.size };
}

/** Prompt tokens found in cache over all prompt tokens, per replica and in all, from the records' usage. */
function cacheHits(dir: string): { all: number; perReplica: string } {
  const usage = ResultsStore.read(dir).records.reduce<Usage>((sum, r) => addUsage(sum, r.usage), {});
  const u = usage["policy-small"]!;
  const rate = (cached: number, evaluated: number) => cached / Math.max(1, cached + evaluated);
  const per = Object.entries(u.replicas ?? {}).map(([url, r]) => `${new URL(url).port}: ${r.calls} samples, ${(100 * rate(r.cachedPromptTokens, r.promptTokens)).toFixed(1)}%${r.failures ? `, ${r.failures} failed over` : ""}`);
  return { all: rate(u.cachedPromptTokens, u.promptTokens), perReplica: per.join("; ") || "(one endpoint)" };
}

const servers = await Promise.all(Array.from({ length: replicaCount }, start));
try {
  console.log(`scale-out: ${problems} problems, beam-search N=${budget} (width 2), ${replicaCount} llama-server replicas of policy-small (-t 1, ${slots} slots each), ${concurrency} problems in flight, PRM embedded; 2 shared cores\n`);
  const single = await evalRun("single", spec([servers[0]!]));
  const affinity = await evalRun("affinity", spec(servers));
  const roundRobin = await evalRun("round-robin", spec(servers, "&route=round-robin"));
  const rows = [
    ["single replica", single],
    [`${replicaCount} replicas, affinity`, affinity],
    [`${replicaCount} replicas, round-robin`, roundRobin],
  ] as const;
  console.log("1. cache hit rate (prompt tokens llama-server found in its cache) and throughput");
  for (const [label, run] of rows) {
    const hits = cacheHits(run.out);
    const s = summary(run.out);
    console.log(`   ${label.padEnd(26)} hit rate ${(100 * hits.all).toFixed(1)}%   ${run.seconds.toFixed(1)} s (${(single.seconds / run.seconds).toFixed(2)}× single)   summary ${s.sha}   [${hits.perReplica}]`);
  }
  const base = summary(single.out);
  console.log(`   summaries identical: ${rows.every(([, r]) => summary(r.out).json === base.json)}; affinity hit rate / single: ${(cacheHits(affinity.out).all / cacheHits(single.out).all).toFixed(3)}\n`);
  if (values["cache-only"]) process.exit(0);

  // 2. A replica killed when a third of the records are in.
  const victim = servers[servers.length - 1]!;
  let killedAt = -1;
  const killed = await evalRun("killed", spec(servers, "&probe=500"), [], (out) => {
    const file = join(out, "results.jsonl");
    if (killedAt >= 0 || !existsSync(file)) return;
    const lines = readFileSync(file, "utf8").split("\n").filter(Boolean).length;
    if (lines >= Math.ceil(problems / 3)) {
      killedAt = lines;
      victim.process.kill("SIGKILL");
    }
  });
  const k = summary(killed.out);
  console.log(`2. replica :${new URL(victim.rootURL).port} killed (SIGKILL) after ${killedAt} of ${problems} records`);
  console.log(`   eval finished in ${killed.seconds.toFixed(1)} s; records ${k.records}, distinct ${k.unique} (expected ${problems}); summary ${k.sha}, equal to the undisturbed run's: ${k.json === base.json}`);
  console.log(`   ${cacheHits(killed.out).perReplica}`);
  console.log(`   ponder said: ${killed.stderr.split("\n").filter((l) => l.includes("replica")).join(" | ") || "(nothing)"}\n`);

  // 3. Four shards, run one after another here (on a fleet: four machines or jobs at once), read as one run.
  const alive = servers.filter((s) => s !== victim);
  const shardTimes: number[] = [];
  for (let k = 1; k <= 4; k++) shardTimes.push((await evalRun("sharded", spec(alive), ["--shard", `${k}/4`])).seconds);
  const merged = summary(join(root, "sharded"));
  console.log(`3. 4 shards (${shardTimes.map((t) => t.toFixed(1)).join(", ")} s) merged from ${join(root, "sharded")}: records ${merged.records}, distinct ${merged.unique}; summary ${merged.sha}, byte-identical to the unsharded run's: ${merged.json === base.json}`);
} finally {
  await Promise.all(servers.map((s) => s.close()));
}
