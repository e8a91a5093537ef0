import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LlamaEngine } from "../backends/llama/llama-engine.js";
import { LlamaGenerator } from "../backends/llama/llama-generator.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { inRequestScope, RequestScope } from "../core/request-scope.js";
import { totalUsage } from "../core/usage.js";
import { loadSynthetic, solutionLines } from "../datasets/synthetic/index.js";
import { defaultModels } from "../models/default-models.js";
import { demoTemplate } from "../templates/templates.js";
import { createVerifier } from "./create-verifier.js";
import { LikelihoodVerifier } from "./likelihood-verifier.js";

describe("LikelihoodVerifier (the shipped revision model on the embedded engine)", () => {
  let engine: LlamaEngine;
  let verifier: LikelihoodVerifier;
  before(async () => {
    engine = await LlamaEngine.load({ model: defaultModels.revision, threads: 1, sequences: 8, contextSize: 1024 });
    verifier = new LikelihoodVerifier({ engine, template: demoTemplate });
  });
  after(async () => engine.dispose());

  it("a step's log-probability is the one llama.cpp gave its tokens when it sampled them (temperature 1)", async () => {
    const generator = new LlamaGenerator(engine, demoTemplate);
    const [problem] = loadSynthetic({ levels: "3", count: 1, seed: 11 });
    const { continuations } = await generator.generate({ problem: problem!, until: "step", n: 6, logprobs: true, sampling: { temperature: 1, maxTokens: 32, seed: 3 } });
    let compared = 0;
    for (const c of continuations.filter((c) => c.finishReason === "step")) {
      // The tokens sampled end with the delimiter, which a step's score leaves out.
      const sampled = c.tokenLogprobs!.slice(0, -1).reduce((a, b) => a + b, 0);
      const [score] = (await verifier.score([{ problem: problem!, steps: c.steps }])).stepScores[0]!;
      assert.ok(Math.abs(Math.log(score!) - sampled) < 1e-3, `${c.steps[0]}: ${Math.log(score!)} vs ${sampled}`);
      compared++;
    }
    assert.ok(compared >= 3, `${compared} first steps compared`);
  });

  it("scores the reference solution above a copy with one wrong result, and from that step on, for every problem tried", async () => {
    for (const problem of loadSynthetic({ levels: "2-6", count: 10, seed: 12 })) {
      const steps = problem.meta.steps;
      const k = Math.floor(steps.length / 2);
      const slipped = steps.map((s, i) => (i < k ? s : { ...s, before: i === k ? s.before : s.before + 10, after: s.after + 10 }));
      const [right, wrong] = (await verifier.score([{ problem, steps: problem.meta.solution }, { problem, steps: solutionLines(slipped) }])).stepScores;
      for (let i = 0; i < k; i++) assert.equal(wrong![i], right![i], "the same steps score the same");
      assert.ok(wrong![k]! < right![k]! / 10, `${problem.id}: the slipped step ${solutionLines(slipped)[k]} scores ${wrong![k]} vs ${right![k]}`);
      for (let i = 1; i < right!.length; i++) assert.ok(right![i]! <= right![i - 1]!, "a prefix's score never rises as steps are added");
    }
  });

  it("remembers scored prefixes: the same steps again cost nothing, one more step costs only its own tokens", async () => {
    const [problem] = loadSynthetic({ levels: "5", count: 1, seed: 13 });
    const fresh = new LikelihoodVerifier({ engine, template: demoTemplate });
    const steps = problem!.meta.solution;
    const first = await fresh.score([{ problem: problem!, steps: steps.slice(0, 3) }]);
    assert.ok(totalUsage(first.usage).promptTokens > 0);
    const again = await fresh.score([{ problem: problem!, steps: steps.slice(0, 3) }]);
    assert.deepEqual(again.stepScores, first.stepScores);
    assert.deepEqual(again.usage, {}, "nothing evaluated");
    const longer = await fresh.score([{ problem: problem!, steps: steps.slice(0, 4) }]);
    assert.deepEqual(longer.stepScores[0]!.slice(0, 3), first.stepScores[0]);
    const u = totalUsage(longer.usage);
    assert.ok(u.promptTokens <= engine.tokenize(steps[3]!).length + 2, `only the new step is evaluated (${u.promptTokens} tokens, ${u.cachedPromptTokens} from the KV cache)`);
  });

  it("counts processed tokens against the request's own prefixes: a longer solution's scoring processes only its new step, whatever the KV cache held", async () => {
    const [problem] = loadSynthetic({ levels: "5", count: 1, seed: 14 });
    const steps = problem!.meta.solution;
    const processed = async (scope: RequestScope): Promise<[number, number, number]> => {
      const fresh = new LikelihoodVerifier({ engine, template: demoTemplate, cacheSize: 0 });
      const short = await inRequestScope(scope, () => fresh.score([{ problem: problem!, steps: steps.slice(0, 2) }]));
      const long = await inRequestScope(scope, () => fresh.score([{ problem: problem!, steps: steps.slice(0, 3) }]));
      return [totalUsage(short.usage).processedPromptTokens!, totalUsage(long.usage).processedPromptTokens!, totalUsage(long.usage).promptTokens + totalUsage(long.usage).cachedPromptTokens];
    };
    const [short, long, sent] = await processed(new RequestScope());
    assert.ok(short > 0 && long > 0);
    assert.ok(long < sent, `the third step alone is processed (${long} of ${sent} tokens sent)`);
    assert.deepEqual(await processed(new RequestScope()), [short, long, sent], "the same again in a new request, though the engine's cache now holds it all");
  });

  it("scores an overlong candidate as far as the context holds and reports the rest unscored, never failing (issue 15)", async () => {
    const [problem] = loadSynthetic({ levels: "3", count: 1, seed: 11 });
    // What policy-small writes out of its lexicon: one line repeated until its token limit.
    const steps = Array.from({ length: 400 }, () => "The answer is 42");
    const { stepScores, unscored } = await verifier.score([{ problem: problem!, steps: problem!.meta.solution.slice(0, 1) }, { problem: problem!, steps }]);
    assert.equal(stepScores[0]!.length, 1);
    assert.ok(stepScores[1]!.length > 0 && stepScores[1]!.length < steps.length, `${stepScores[1]!.length} steps read`);
    assert.ok(stepScores[1]!.every((x) => x >= 0 && x <= 1));
    assert.deepEqual(unscored?.map((u) => u.index), [1]);
    assert.match(unscored![0]!.reason, new RegExp(`step ${stepScores[1]!.length + 1} ends past .*context of 1024 tokens`));
  });

  it("is a verifier spec: likelihood[:<model>[?opts]], defaulting to the revision model; bad options are named", async () => {
    for (const spec of ["likelihood", "likelihood:revision?threads=1"]) {
      const { verifier: made, dispose } = await createVerifier(spec);
      try {
        assert.equal(made.kind, "process");
        assert.match(made.modelId, /revision.*#likelihood/);
      } finally {
        await dispose();
      }
    }
    await assert.rejects(createVerifier("likelihood:policy-small?colour=red"), (e: unknown) => e instanceof InvalidOptionError && /colour/.test(e.message));
  });
});
