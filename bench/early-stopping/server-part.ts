import { OpenAIClient } from "../../src/backends/openai/openai-client.js";
import { OpenAIGenerator } from "../../src/backends/openai/openai-generator.js";
import { mapLimit } from "../../src/core/map-limit.js";
import type { Problem } from "../../src/core/problem.js";
import { syntheticAnswerReader } from "../../src/datasets/synthetic/synthetic-answer-reader.js";
import { defaultModelPath } from "../../src/models/default-models.js";
import { formatTable } from "../../src/report/format-table.js";
import { deepConfOffline } from "../../src/strategies/deepconf-offline.js";
import { demoTemplate } from "../../src/templates/templates.js";
import { startLlamaServer, type LlamaServer } from "../../test/llama-server.js";
import { outcomeOf, revote, topShare, type Outcome } from "./outcome.js";
import { key, LIVE, printComparison } from "./strategies-part.js";

/**
 * Part 3: part 1 over a llama.cpp server, one strategy at a time so that the server's own counter of
 * generated tokens (/metrics, tokens_predicted_total) can be set beside the tokens ponder counted.
 */
export async function runServerPart(args: {
  url?: string;
  start: boolean;
  problems: readonly Problem[];
  budgets: readonly number[];
  common: { temperature: number; maxTokens: number };
  concurrency: number;
  parameters: number;
}): Promise<void> {
  const { problems, budgets, common, concurrency } = args;
  let server: LlamaServer | undefined;
  const baseURL = args.url ?? (server = await startLlamaServer({ model: defaultModelPath("policy-small"), slots: 16 })).baseURL;
  const metrics = async () => {
    const text = await (await fetch(`${baseURL.replace(/\/v1\/?$/, "")}/metrics`)).text();
    return Number(/^llamacpp:tokens_predicted_total\s+(\S+)$/m.exec(text)?.[1] ?? NaN);
  };
  try {
    const generator = new OpenAIGenerator({ client: new OpenAIClient({ baseURL, maxConcurrency: 16 }), model: "policy-small", template: demoTemplate, parameters: args.parameters });
    const deps = { generator, answers: syntheticAnswerReader };
    const outcomes = new Map<string, Outcome[]>();
    const accounting: string[][] = [];
    const phase = async (name: string, run: (problem: Problem) => Promise<Outcome[]>, names: string[]) => {
      const before = await metrics();
      const started = performance.now();
      const per = await mapLimit(problems, concurrency, run);
      await new Promise((r) => setTimeout(r, 1000));
      const generated = (await metrics()) - before;
      names.forEach((n, j) => outcomes.set(n, per.map((o) => o[j]!)));
      const counted = per.reduce((s, o) => s + o[0]!.tokens, 0);
      const stopped = per.reduce((s, o) => s + (o[0]!.stopped ?? 0), 0);
      accounting.push([name, String(counted), Number.isNaN(generated) ? "n/a" : String(generated), Number.isNaN(generated) ? "–" : (generated / counted).toFixed(3), String(stopped), ((performance.now() - started) / 1000).toFixed(0)]);
    };
    const largest = Math.max(...budgets);
    await phase(
      `deepconf-offline@${largest} (majority's samples)`,
      async (problem) => {
        const full = await deepConfOffline(problem, deps, { ...common, seed: 0, budget: { generations: largest }, keepPercent: 100 });
        const rows = [outcomeOf(problem, full)];
        for (const n of budgets) {
          rows.push(revote(problem, full.candidates, n, "majority"));
          const kept = topShare(full.candidates, n, 50);
          rows.push(revote(problem, full.candidates, n, "weighted", (c, i) => (kept.has(i) ? (c.score ?? 0) : 0)));
        }
        return rows;
      },
      ["full", ...budgets.flatMap((n) => [key("majority", n), key("deepconf-offline η=50%", n)])],
    );
    for (const n of budgets) {
      for (const s of LIVE) {
        await phase(`${s.name}@${n}`, async (problem) => [outcomeOf(problem, await s.run(problem, deps, { ...common, seed: 0, budget: { generations: n } }))], [key(s.name, n)]);
      }
    }
    console.log(`3. over llama.cpp's server (${baseURL}, ${args.url ? "given" : "started here: policy-small, 16 slots, one thread"}), ${problems.length} problems, one strategy at a time`);
    printComparison(outcomes, budgets, ["majority", "deepconf-offline η=50%", ...LIVE.map((s) => s.name)]);
    console.log("tokens ponder counted vs tokens the server generated (its /metrics tokens_predicted_total), per run:");
    console.log(formatTable(["run", "ponder counted", "server generated", "server ÷ ponder", "traces stopped", "seconds"], accounting, "text"));
    console.log();
  } finally {
    await server?.close();
  }
}
