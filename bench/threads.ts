// The embedded engine's threads (issue 23), side by side in one run: the README's main job cut to
// 10 problems (eval --limit 10 --levels 2-6 --strategies majority,weighted-best-of-n,beam-search
// --budgets 1,4,16) with the default thread plan, with each --threads from 1 to 2 × cores, and over
// llama-server (policy and PRM each their own one-thread process). Every round runs every setting,
// in an order rotated from round to round, so that a shared machine's changing load falls on all of
// them alike; each ratio is taken within a round, then the median over rounds is printed, with the
// load average seen during the runs. Absolute times on a shared machine mean little: rerun quiet.
// Both sides score with the step-tag PRM (`--verifier prm`, and prm-http over llama-server), so that
// they run the same models: the embedded default verifier, likelihood, has no HTTP form.
// `no-native` is the default without ponder's native decode step (node-llama-cpp's addon alone).
//   npm run bench -- threads [--problems 10] [--rounds 3] [--settings default,no-native,1,2,3,4] [--skip-server]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { availableCores } from "../src/backends/llama/thread-plan.js";
import { threadPlanFor } from "../src/cli/commands/load-models.js";
import { REPO_ROOT } from "../src/datasets/shared-data.js";
import { defaultModelPath } from "../src/models/default-models.js";
import { llamaServerBinary, startServer, type BenchServer } from "./threads/llama-servers.js";

const cores = availableCores();
const { values } = parseArgs({
  options: {
    problems: { type: "string", default: "10" },
    rounds: { type: "string", default: "3" },
    settings: { type: "string", default: ["default", "no-native", ...Array.from({ length: 2 * cores }, (_, i) => String(i + 1))].join(",") },
    "skip-server": { type: "boolean", default: false },
  },
});
const rounds = Number(values.rounds);
const JOB = ["eval", "--limit", values.problems!, "--levels", "2-6", "--strategies", "majority,weighted-best-of-n,beam-search", "--budgets", "1,4,16"];
const EMBEDDED_VERIFIER = ["--verifier", "prm"];

interface Run {
  wall: number;
  /** Seconds until the eval logged its start (models loaded, or the client ready to send): start-up. */
  startup: number;
  cpu: number;
  load: number;
  table: string;
}

/** One `ponder eval` of the job as a child process: wall time, its CPU time (user + system, all threads) and the accuracy table. */
async function runEval(args: readonly string[], out: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const cli = join(REPO_ROOT, "bin/ponder.js");
  const load = loadavg()[0]!;
  const started = performance.now();
  const child = spawn("/usr/bin/time", ["-f", "CPU %U %S", process.execPath, cli, ...JOB, ...args, "--out", out], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  let startup = NaN;
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
    if (Number.isNaN(startup) && / problems, .* at N = /.test(stderr)) startup = (performance.now() - started) / 1000;
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const wall = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`ponder eval ${args.join(" ")} failed (${code}): ${stderr.slice(-2000)}`);
  const [, user, system] = /CPU ([\d.]+) ([\d.]+)/.exec(stderr) ?? [];
  const from = stdout.indexOf("strategy \\ N");
  const table = stdout.slice(from, stdout.indexOf("\n\n", from) >>> 0).trim();
  return { wall, startup, cpu: Number(user) + Number(system), load: (load + loadavg()[0]!) / 2, table };
}

interface Setting {
  name: string;
  /** What the thread plan makes of it, or how the servers run. */
  plan: string;
  run(out: string): Promise<Run>;
}

const settings: Setting[] = values.settings!.split(",").map((s) => {
  if (s === "no-native") {
    const plan = threadPlanFor({ policy: "policy-small", verifier: "prm", reviser: null }, undefined, cores)!;
    return {
      name: "no native step",
      plan: `${plan.perModel} per model, policy on ${plan.policyContexts} contexts, PONDER_NATIVE=off`,
      run: (out) => runEval(EMBEDDED_VERIFIER, out, { PONDER_NATIVE: "off" }),
    };
  }
  const requested = s === "default" ? undefined : Number(s);
  const plan = threadPlanFor({ policy: "policy-small", verifier: "prm", reviser: null }, requested, cores)!;
  return {
    name: requested === undefined ? "default" : `--threads ${requested}`,
    plan: `${plan.perModel} per model, ≤ ${plan.total} in all, policy on ${plan.policyContexts} context${plan.policyContexts === 1 ? "" : "s"}${plan.warning ? " (warned)" : ""}`,
    run: (out) => runEval([...EMBEDDED_VERIFIER, ...(requested === undefined ? [] : ["--threads", String(requested)])], out),
  };
});

let servers: BenchServer[] = [];
const binary = llamaServerBinary();
if (!values["skip-server"]) {
  if (!binary) throw new Error("llama-server not found: build it with scripts/build-llama-server.sh, set LLAMA_SERVER, or pass --skip-server");
  servers = await Promise.all([startServer(binary, defaultModelPath("policy-small"), "policy-small"), startServer(binary, defaultModelPath("prm"), "prm")]);
  const [policy, prm] = servers as [BenchServer, BenchServer];
  settings.push({
    name: "llama-server ×2",
    plan: "two processes, -t 1 -tb 1 each",
    run: async (out) => {
      const before = servers.reduce((s, x) => s + x.cpuSeconds(), 0);
      const r = await runEval(
        ["--policy", `${policy.baseURL}?model=policy-small&template=ponder-demo&n=auto&concurrency=16`, "--verifier", `prm-http:${prm.baseURL}?model=prm&concurrency=16`],
        out,
      );
      return { ...r, cpu: r.cpu + servers.reduce((s, x) => s + x.cpuSeconds(), 0) - before };
    },
  });
}

const dir = mkdtempSync(join(tmpdir(), "ponder-bench-threads-"));
const runs = new Map<string, Run[]>(settings.map((s) => [s.name, []]));
console.log(`ponder ${JOB.join(" ")}: ${settings.length} settings × ${rounds} rounds on ${cores} cores, order rotated each round`);
console.log(`load average at start (1, 5, 15 min): ${loadavg().map((l) => l.toFixed(2)).join(", ")}`);
try {
  for (let round = 0; round < rounds; round++) {
    const order = settings.map((_, i) => settings[(i + round) % settings.length]!);
    for (const setting of order.filter((s) => settings.includes(s))) {
      let r: Run;
      try {
        r = await setting.run(join(dir, `${setting.name.replace(/\W+/g, "_")}-${round}`));
      } catch (error) {
        if (!setting.name.startsWith("llama-server")) throw error;
        console.log(`  round ${round + 1}: ${setting.name} failed, left out: ${String(error).split("\n").filter((l) => l.startsWith("ponder:"))[0] ?? String(error).slice(0, 300)}`);
        settings.splice(settings.indexOf(setting), 1);
        runs.delete(setting.name);
        continue;
      }
      runs.get(setting.name)!.push(r);
      console.log(`  round ${round + 1}: ${setting.name.padEnd(16)} ${r.wall.toFixed(1).padStart(6)} s wall, ${r.cpu.toFixed(1).padStart(5)} CPU-s, load ${r.load.toFixed(1)}`);
    }
  }
} finally {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return Number.isInteger(mid) ? (sorted[mid - 1]! + sorted[mid]!) / 2 : sorted[Math.floor(mid)]!;
};
const base = runs.get("default") ?? runs.get(settings[0]!.name)!;
const perRound = (name: string) => runs.get(name)!.map((r, i) => r.wall / base[i]!.wall);
const planWidth = Math.max(...settings.map((s) => s.plan.length));
console.log(`\n${"setting".padEnd(16)}  ${"threads".padEnd(planWidth)}  wall s (median)  start-up s  vs default (median of rounds)  CPU-s  CPU/wall/cores  load avg`);
for (const s of settings) {
  const rs = runs.get(s.name)!;
  const wall = median(rs.map((r) => r.wall));
  const cpu = median(rs.map((r) => r.cpu));
  const util = median(rs.map((r) => r.cpu / r.wall / cores));
  console.log(
    `${s.name.padEnd(16)}  ${s.plan.padEnd(planWidth)}  ${wall.toFixed(1).padStart(15)}  ${median(rs.map((r) => r.startup)).toFixed(1).padStart(10)}  ${median(perRound(s.name)).toFixed(2).padStart(29)}×  ${cpu.toFixed(1).padStart(5)}  ${util.toFixed(2).padStart(14)}  ${median(rs.map((r) => r.load)).toFixed(1).padStart(8)}`,
  );
}
const embedded = settings.filter((s) => !s.name.startsWith("llama-server"));
const medianRatio = (name: string) => median(perRound(name));
const ratios = embedded.filter((s) => s.name !== "no native step").map((s) => medianRatio(s.name));
console.log(`\nslowest --threads setting / fastest (median per-round ratios): ${(Math.max(...ratios) / Math.min(...ratios)).toFixed(2)}× (target ≤ 1.5)`);
if (runs.has("llama-server ×2") && runs.has("default")) {
  console.log(`embedded default's throughput / llama-server's on the same job: ${medianRatio("llama-server ×2").toFixed(2)}× (target ≥ 1.0)`);
  // The servers load their models before the clock starts; the embedded engine loads them inside it.
  const server = runs.get("llama-server ×2")!;
  const afterStartup = median(runs.get("default")!.map((r, i) => (server[i]!.wall - server[i]!.startup) / (r.wall - r.startup)));
  console.log(`the same after start-up (from the eval's start line, models loaded, to the end): ${afterStartup.toFixed(2)}×`);
}
const tables = new Set(embedded.flatMap((s) => runs.get(s.name)!.map((r) => r.table)));
console.log(`accuracy tables of every embedded run identical: ${tables.size === 1 ? "yes" : `no (${tables.size} different)`}`);
const load = settings.flatMap((s) => runs.get(s.name)!.map((r) => r.load));
console.log(`load average during the runs: ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)} on ${cores} cores${Math.max(...load) > cores / 2 ? " — the machine was shared: rerun on a quiet machine for absolute times" : ""}`);
