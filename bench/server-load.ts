// Server load figures (issue 8): N concurrent chat-completion requests from a loopback client
// against ponder's server on the demo models; errors, requests lost, p50/p99 latency, throughput.
//   node --import tsx bench/server-load.ts [--requests 200] [--strategy majority] [--budget 4] [--concurrency 4] [--max-queued 256]
import { parseArgs } from "node:util";
import { createGenerator } from "../src/backends/create-generator.js";
import { syntheticAnswerReader } from "../src/datasets/synthetic/synthetic-answer-reader.js";
import { loadSynthetic } from "../src/datasets/synthetic/load-synthetic.js";
import { createServer } from "../src/server/create-server.js";
import { createVerifier } from "../src/verifiers/create-verifier.js";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "200" },
    strategy: { type: "string", default: "weighted-best-of-n" },
    budget: { type: "string", default: "4" },
    concurrency: { type: "string", default: "8" },
    "max-queued": { type: "string", default: "256" },
    "max-tokens": { type: "string", default: "128" },
    policy: { type: "string", default: "policy-small" },
    verifier: { type: "string", default: "prm" },
  },
});
const requests = Number(values.requests);
const engine = { threads: 1, sequences: 16, contextSize: 1024 };
const policy = await createGenerator(values.policy!, engine);
const verifier = values.verifier === "none" ? undefined : await createVerifier(values.verifier!, engine);
const server = createServer({
  backends: { generator: policy.generator, verifier: verifier?.verifier, answers: syntheticAnswerReader },
  concurrency: Number(values.concurrency),
  maxQueued: Number(values["max-queued"]),
});
const { url } = await server.listen({ port: 0 });
const problems = loadSynthetic({ levels: "1-5", count: requests, seed: 7 });
console.log(`${requests} concurrent requests, ponder/${values.strategy}:${values.budget}, server concurrency ${values.concurrency}, policy ${values.policy}, verifier ${values.verifier}`);

const started = performance.now();
const results = await Promise.all(
  problems.map(async (problem, i) => {
    const t = performance.now();
    try {
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: `ponder/${values.strategy}:${values.budget}`, messages: [{ role: "user", content: problem.question }], max_tokens: Number(values["max-tokens"]), seed: i }),
      });
      const body = (await response.json()) as { ponder?: { answer?: string | null }; error?: { message: string } };
      return { status: response.status, ms: performance.now() - t, correct: body.ponder?.answer === problem.answer, error: body.error?.message };
    } catch (error) {
      return { status: 0, ms: performance.now() - t, correct: false, error: String(error) };
    }
  }),
);
const wall = (performance.now() - started) / 1000;
const ok = results.filter((r) => r.status === 200);
const latencies = ok.map((r) => r.ms).sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
const byStatus = new Map<number, number>();
for (const r of results) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
console.log(`answered: ${ok.length}/${requests}; statuses: ${[...byStatus].map(([s, n]) => `${s}×${n}`).join(", ")}; lost: ${requests - results.length}`);
for (const e of new Set(results.filter((r) => r.error).map((r) => r.error))) console.log(`  error: ${e}`);
console.log(`latency: p50 ${(pct(50) / 1000).toFixed(2)} s, p99 ${(pct(99) / 1000).toFixed(2)} s, max ${(latencies.at(-1)! / 1000).toFixed(2)} s`);
console.log(`wall ${wall.toFixed(1)} s, ${(requests / wall).toFixed(2)} requests/s; accuracy of the answers ${((100 * ok.filter((r) => r.correct).length) / Math.max(1, ok.length)).toFixed(1)}%`);
const stats = server.stats();
console.log(`server counters: completed ${stats.completed}, failed ${stats.failed}, rejected ${stats.rejected}, cancelled ${stats.cancelled}`);
await server.close({ graceMs: 5000 });
await verifier?.dispose();
await policy.dispose();
