// ponder on llama.cpp's own server (issue 16), measured side by side in one run:
// 1. client overhead: ponder's majority@16 over 40 problems against llama-server, vs a minimal client
//    replaying the very requests ponder sent (recorded from the wire); throughput as a ratio.
// 2. end to end: the README's main job (`ponder eval`) on the embedded engine and on llama-server
//    (policy and PRM each their own server), wall time, CPU time per token, accuracy tables, and the
//    HTTP run's recorded usage against llama-server's own counters.
//   npm run bench -- llama-server [--problems 40] [--samples 16] [--rounds 5] [--skip-eval]
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { OpenAIClient, type RetryEvent } from "../src/backends/openai/openai-client.js";
import { OpenAIGenerator } from "../src/backends/openai/openai-generator.js";
import { mapLimit } from "../src/core/map-limit.js";
import { totalUsage } from "../src/core/usage.js";
import { loadSynthetic } from "../src/datasets/synthetic/index.js";
import { syntheticAnswerReader } from "../src/datasets/synthetic/synthetic-answer-reader.js";
import type { EvalRecord } from "../src/eval/eval-record.js";
import { REPO_ROOT } from "../src/datasets/shared-data.js";
import { majorityVote } from "../src/strategies/majority-vote.js";
import { demoTemplate } from "../src/templates/templates.js";
import { shippedModel, startLlamaServer, type LlamaServer } from "../test/llama-server.js";

const { values } = parseArgs({
  options: {
    problems: { type: "string", default: "40" },
    samples: { type: "string", default: "16" },
    rounds: { type: "string", default: "5" },
    concurrency: { type: "string", default: "8" },
    "skip-eval": { type: "boolean", default: false },
  },
});
const problemCount = Number(values.problems);
const samples = Number(values.samples);
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency);

/** CPU seconds a process has used so far (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

// ---- 1. client overhead -------------------------------------------------------------------------
async function clientOverhead(): Promise<void> {
  const server = await startLlamaServer({ model: shippedModel("policy-small"), slots: 16, contextPerSlot: 512 });
  try {
    const problems = loadSynthetic({ levels: "2-6", count: problemCount, seed: 0 });
    const recorded: { url: string; body: string }[] = [];
    const recording: typeof fetch = (input, init) => {
      if (init?.method === "POST") recorded.push({ url: String(input), body: String(init.body) });
      return fetch(input, init);
    };
    let retries = 0;
    const onRetry = (e: RetryEvent) => {
      retries++;
      console.log(`   (retry: ${e.method} ${e.url} ${e.reason} ${e.status ?? ""} ${e.detail})`);
    };
    const client = (record: boolean) => new OpenAIClient({ baseURL: server.baseURL, maxConcurrency: 16, onRetry, ...(record ? { fetch: recording } : {}) });
    const generator = await OpenAIGenerator.connect({ client: client(false), template: demoTemplate, n: "auto" });
    // A pass of ponder over some problems: its majority vote over `samples` solutions each.
    const viaPonder = async (g: OpenAIGenerator, subset: typeof problems) => {
      const results = await mapLimit(subset, concurrency, (problem) =>
        majorityVote(problem, { generator: g, answers: syntheticAnswerReader }, { budget: { generations: samples }, seed: 0, maxTokens: 256, temperature: 0.8 }),
      );
      return { tokens: results.reduce((sum, r) => sum + totalUsage(r.usage).completionTokens, 0), correct: results.filter((r, i) => r.answerKey === subset[i]!.answer).length };
    };
    // The minimal client: the same bodies POSTed with fetch, as many in flight as ponder's client
    // allows (16, the server's slots), the answers' token counts summed.
    const viaMinimal = async (requests: typeof recorded) => {
      const counts = await mapLimit(requests, 16, async ({ url, body }) => {
        const json = (await (await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body })).json()) as { tokens_predicted: number } | { tokens_predicted: number }[];
        return (Array.isArray(json) ? json : [json]).reduce((sum, r) => sum + r.tokens_predicted, 0);
      });
      return { tokens: counts.reduce((a, b) => a + b, 0) };
    };
    const timed = async <T>(fn: () => Promise<T>) => {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const out = await fn();
      const used = process.cpuUsage(cpu);
      return { ...out, seconds: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6 };
    };
    // Record the requests of each chunk of problems once (a cold pass, not timed against anything).
    const chunkSize = concurrency;
    const chunks = Array.from({ length: Math.ceil(problems.length / chunkSize) }, (_, k) => problems.slice(k * chunkSize, (k + 1) * chunkSize));
    const recordedBy: (typeof recorded)[] = [];
    const recordingGenerator = await OpenAIGenerator.connect({ client: client(true), template: demoTemplate, n: "auto" });
    let correct = 0;
    for (const chunk of chunks) {
      const from = recorded.length;
      correct += (await viaPonder(recordingGenerator, chunk)).correct;
      recordedBy.push(recorded.slice(from));
    }
    console.log(`\n1. client overhead: majority@${samples} over ${problemCount} problems (levels 2-6), policy-small on llama-server (-np 16, -t 1), ${concurrency} problems at a time`);
    console.log(`   ponder sent ${recorded.length} requests to ${recorded[0]?.url.replace(/^http:\/\/[^/]+/, "")} (one per sample, so a smaller N's samples are a larger one's first); accuracy ${((100 * correct) / problemCount).toFixed(1)}%`);
    // Each round runs every chunk through both, alternating which goes first, so that the load of a
    // shared machine, which changes within seconds, falls on both alike.
    const ratios: number[] = [];
    const total = { ponder: { tokens: 0, seconds: 0, cpu: 0 }, minimal: { tokens: 0, seconds: 0, cpu: 0 } };
    for (let round = 1; round <= rounds; round++) {
      const sums = { ponder: { tokens: 0, seconds: 0, cpu: 0 }, minimal: { tokens: 0, seconds: 0, cpu: 0 } };
      for (const [k, chunk] of chunks.entries()) {
        const runPonder = () => timed(() => viaPonder(generator, chunk));
        const runMinimal = () => timed(() => viaMinimal(recordedBy[k]!));
        const [p, m] = (round + k) % 2 === 0 ? [await runPonder(), await runMinimal()] : await runMinimal().then(async (m) => [await runPonder(), m] as const);
        if (process.env.BENCH_VERBOSE) console.log(`     chunk ${k}: ponder ${p.seconds.toFixed(2)} s, minimal ${m.seconds.toFixed(2)} s`);
        for (const [side, r] of [["ponder", p], ["minimal", m]] as const) {
          sums[side].tokens += r.tokens;
          sums[side].seconds += r.seconds;
          sums[side].cpu += r.cpu;
        }
      }
      const ratio = sums.ponder.tokens / sums.ponder.seconds / (sums.minimal.tokens / sums.minimal.seconds);
      ratios.push(ratio);
      for (const side of ["ponder", "minimal"] as const) for (const f of ["tokens", "seconds", "cpu"] as const) total[side][f] += sums[side][f];
      console.log(`   round ${round}: ponder ${(sums.ponder.tokens / sums.ponder.seconds).toFixed(0)} tok/s, minimal client ${(sums.minimal.tokens / sums.minimal.seconds).toFixed(0)} tok/s (${sums.ponder.tokens} tokens each); ratio ${ratio.toFixed(3)}`);
    }
    const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!;
    const overall = total.ponder.tokens / total.ponder.seconds / (total.minimal.tokens / total.minimal.seconds);
    console.log(`   ponder's throughput / the minimal client's: ${overall.toFixed(3)} over all rounds, median round ${median.toFixed(3)} (target ≥ 0.9)`);
    const perRequest = (side: "ponder" | "minimal") => ((1000 * total[side].cpu) / (rounds * recorded.length)).toFixed(3);
    console.log(`   client CPU per request (this process, load-independent): ponder ${perRequest("ponder")} ms, minimal client ${perRequest("minimal")} ms; ponder retried ${retries} requests`);
  } finally {
    await server.close();
  }
}

// ---- 2. end to end: the README's main job -------------------------------------------------------
const MAIN_JOB = ["eval", "--limit", "40", "--levels", "2-6", "--strategies", "majority,weighted-best-of-n,beam-search", "--budgets", "1,4,16"];

async function runEval(args: string[], out: string): Promise<{ seconds: number; cpu: number; table: string }> {
  const started = performance.now();
  const child = spawn("/usr/bin/time", ["-f", "CPU %U %S", process.execPath, join(REPO_ROOT, "bin/ponder.js"), ...MAIN_JOB, ...args, "--out", out], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`ponder eval failed (${code}): ${stderr.slice(-2000)}`);
  const [, user, system] = /CPU ([\d.]+) ([\d.]+)/.exec(stderr) ?? [];
  const table = stdout.slice(stdout.indexOf("strategy \\ N")).trim();
  return { seconds: (performance.now() - started) / 1000, cpu: Number(user) + Number(system), table };
}

function recordedTokens(out: string): { prompt: number; cached: number; completion: number; byModel: Record<string, { prompt: number; completion: number }> } {
  const records = readFileSync(join(out, "results.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as EvalRecord);
  const own = records.filter((r) => !r.subsampled);
  const byModel: Record<string, { prompt: number; completion: number }> = {};
  for (const r of own) for (const [model, u] of Object.entries(r.usage)) {
    const m = (byModel[model] ??= { prompt: 0, completion: 0 });
    m.prompt += u.promptTokens;
    m.completion += u.completionTokens;
  }
  const t = own.reduce((acc, r) => ({ ...acc, ...(() => { const u = totalUsage(r.usage); return { prompt: acc.prompt + u.promptTokens, cached: acc.cached + u.cachedPromptTokens, completion: acc.completion + u.completionTokens }; })() }), { prompt: 0, cached: 0, completion: 0 });
  return { ...t, byModel };
}

async function endToEnd(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "ponder-bench-llama-server-"));
  console.log(`\n2. end to end: the README's main job with the step-tag PRM (ponder ${MAIN_JOB.join(" ")} --verifier prm), threads 1 everywhere`);
  // The step-tag PRM on both sides: the embedded default verifier (likelihood) has no HTTP form.
  const embedded = await runEval(["--verifier", "prm"], join(dir, "embedded"));
  const servers: LlamaServer[] = await Promise.all([
    startLlamaServer({ model: shippedModel("policy-small"), slots: 16, contextPerSlot: 512 }),
    startLlamaServer({ model: shippedModel("prm"), slots: 16, contextPerSlot: 512 }),
  ]);
  try {
    const [policy, prm] = servers as [LlamaServer, LlamaServer];
    const before = await Promise.all(servers.map((s) => s.metrics()));
    const cpuBefore = servers.map((s) => cpuSeconds(s.process.pid!));
    const http = await runEval(
      ["--policy", `${policy.baseURL}?model=policy-small&template=ponder-demo&n=auto&concurrency=16`, "--verifier", `prm-http:${prm.baseURL}?model=prm&concurrency=16`],
      join(dir, "llama-server"),
    );
    const serverCpu = servers.reduce((sum, s, i) => sum + cpuSeconds(s.process.pid!) - cpuBefore[i]!, 0);
    const after = await Promise.all(servers.map((s) => s.metrics()));
    const e = recordedTokens(join(dir, "embedded"));
    const h = recordedTokens(join(dir, "llama-server"));
    const perToken = (cpu: number, t: { prompt: number; completion: number }) => `${((1000 * cpu) / t.completion).toFixed(2)} ms per generated token, ${((1000 * cpu) / (t.prompt + t.completion)).toFixed(2)} ms per token processed`;
    console.log(`   embedded:     ${embedded.seconds.toFixed(1)} s wall, ${embedded.cpu.toFixed(1)} CPU-s; ${e.completion} generated + ${e.prompt} prompt tokens evaluated (${e.cached} cached); ${perToken(embedded.cpu, e)}`);
    console.log(`   llama-server: ${http.seconds.toFixed(1)} s wall, ${(http.cpu + serverCpu).toFixed(1)} CPU-s (ponder ${http.cpu.toFixed(1)} + servers ${serverCpu.toFixed(1)}); ${h.completion} generated + ${h.prompt} prompt tokens evaluated (${h.cached} cached); ${perToken(http.cpu + serverCpu, h)}`);
    console.log(`   llama-server / embedded: wall ${(http.seconds / embedded.seconds).toFixed(2)}×, CPU per generated token ${((http.cpu + serverCpu) / h.completion / (embedded.cpu / e.completion)).toFixed(2)}×`);
    for (const [i, name] of [[0, "policy-small"], [1, "prm"]] as const) {
      const served = { prompt: after[i]!.prompt_tokens_total! - before[i]!.prompt_tokens_total!, completion: after[i]!.tokens_predicted_total! - before[i]!.tokens_predicted_total! };
      console.log(`   ${name}: recorded ${JSON.stringify(h.byModel[name])}, llama-server's /metrics ${JSON.stringify(served)}`);
    }
    console.log(`\n   embedded accuracy:\n${indent(embedded.table)}\n\n   llama-server accuracy:\n${indent(http.table)}`);
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
}

function indent(text: string): string {
  return text.split("\n").map((l) => `   ${l}`).join("\n");
}

await clientOverhead();
if (!values["skip-eval"]) await endToEnd();
