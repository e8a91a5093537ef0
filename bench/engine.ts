// Embedded-engine figures (issue 2): batched generation throughput through ponder vs node-llama-cpp
// used directly on the same model and number of sequences, and prompt tokens evaluated when 16
// continuations share one 200-token prefix.
//   node --import tsx bench/engine.ts [--sequences 8] [--tokens 64] [--rounds 3] [--dim 256]
import { parseArgs } from "node:util";
import { contextOptions, LlamaEngine } from "../src/backends/llama/llama-engine.js";
import { benchModel } from "./random-model.js";

const { values } = parseArgs({
  options: {
    sequences: { type: "string", default: "8" },
    tokens: { type: "string", default: "64" },
    rounds: { type: "string", default: "3" },
    dim: { type: "string", default: "256" },
    fast: { type: "boolean", default: false },
  },
});
const sequences = Number(values.sequences);
const tokens = Number(values.tokens);
const rounds = Number(values.rounds);
const exact = !values.fast;
const { path, parameters } = await benchModel({ dim: Number(values.dim) });
console.log(
  `model: random llama, ${(parameters / 1e6).toFixed(2)}M parameters; ${sequences} sequences × ${tokens} tokens, threads 1, ` +
    `${exact ? "exact mode (F32 KV, the default)" : "fast mode (F16 KV, flash attention)"}, best of ${rounds} rounds`,
);

const ponder = await LlamaEngine.load({ model: path, threads: 1, sequences, contextSize: 512, exact });
// The same model object and context settings as the engine uses, driven directly.
const { model } = ponder.raw;
const context = await model.createContext(contextOptions({ contextSize: 512, sequences, threads: 1, exact }));
const directSequences = Array.from({ length: sequences }, () => context.getSequence());

// Distinct prompts, so neither side gains from prefix sharing: this measures generation alone.
const prompts = (round: number) => Array.from({ length: sequences }, (_, i) => ponder.tokenize(`prompt ${round} ${i}: `, { bos: true }));

async function viaPonder(round: number): Promise<number> {
  const started = performance.now();
  const out = await Promise.all(prompts(round).map((p, i) => ponder.complete(p, { sampling: { temperature: 0.8, seed: i, maxTokens: tokens } })));
  const generated = out.reduce((s, c) => s + c.completionTokens, 0);
  return generated / ((performance.now() - started) / 1000);
}

async function viaNodeLlamaCpp(round: number): Promise<number> {
  const started = performance.now();
  let generated = 0;
  await Promise.all(
    prompts(round).map(async (p, i) => {
      const seq = directSequences[i]!;
      await seq.clearHistory();
      let n = 0;
      for await (const token of seq.evaluate(p, { temperature: 0.8, seed: i, topK: 0, topP: 1, yieldEogToken: true })) {
        void model.detokenize([token]);
        if (++n >= tokens) break;
      }
      generated += n;
    }),
  );
  return generated / ((performance.now() - started) / 1000);
}

let best = { ponder: 0, direct: 0 };
for (let r = 0; r < rounds; r++) {
  const d = await viaNodeLlamaCpp(r);
  const p = await viaPonder(r);
  best = { ponder: Math.max(best.ponder, p), direct: Math.max(best.direct, d) };
  console.log(`round ${r + 1}: ponder ${p.toFixed(0)} tok/s, node-llama-cpp ${d.toFixed(0)} tok/s`);
}
console.log(`throughput: ponder ${best.ponder.toFixed(0)} tok/s vs node-llama-cpp ${best.direct.toFixed(0)} tok/s → ratio ${(best.ponder / best.direct).toFixed(3)} (target ≥ 0.9)`);

// Prefix sharing: 16 continuations of one 200-token prompt.
const shared = ponder.tokenize("s".repeat(199), { bos: true });
const fresh = await LlamaEngine.load({ model: path, threads: 1, sequences, contextSize: 512, exact });
const results = await Promise.all(Array.from({ length: 16 }, (_, i) => fresh.complete(shared, { sampling: { temperature: 0.8, seed: i, maxTokens: 16 } })));
const evaluated = results.reduce((s, c) => s + c.promptTokens, 0);
const cached = results.reduce((s, c) => s + c.cachedPromptTokens, 0);
console.log(
  `prefix sharing: 16 continuations of a ${shared.length}-token prompt evaluated ${evaluated} prompt tokens ` +
    `(${(evaluated / shared.length).toFixed(2)}× the prompt; without reuse: 16×) and served ${cached} from the KV cache`,
);
await context.dispose();
await Promise.all([ponder.dispose(), fresh.dispose()]);
