import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { shippedModel, startLlamaServer, llamaServerSkipReason, type LlamaServer } from "../../../test/llama-server.js";
import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import type { GenerationRequest } from "../../core/generator.js";
import { totalUsage, type Usage } from "../../core/usage.js";
import { generateSyntheticProblem } from "../../datasets/synthetic/index.js";
import { syntheticAnswerReader } from "../../datasets/synthetic/synthetic-answer-reader.js";
import { beamSearch } from "../../strategies/beam-search.js";
import { demoTemplate } from "../../templates/templates.js";
import { createVerifier, type CreatedVerifier } from "../../verifiers/create-verifier.js";
import { createGenerator, type CreatedGenerator } from "../create-generator.js";
import { LlamaEngine } from "../llama/llama-engine.js";
import { LlamaGenerator } from "../llama/llama-generator.js";
import { ServerUnreachableError } from "./errors/server-unreachable-error.js";
import { OpenAIClient } from "./openai-client.js";
import { OpenAIGenerator } from "./openai-generator.js";
import { SERVER_PROFILES } from "./server-kind.js";

// ponder against llama.cpp's own server (built from the llama.cpp source node-llama-cpp ships),
// serving the shipped demo models, compared with the embedded engine running the same files.

const problems = Array.from({ length: 8 }, (_, index) => generateSyntheticProblem({ level: 2 + (index % 3), seed: 41, index }));
const sampling = { temperature: 0, maxTokens: 48, seed: 3 };

/** Prompt and completion tokens in a usage, as llama-server's /metrics counts them (evaluated prompt tokens only). */
function counted(usage: Usage): { prompt: number; completion: number } {
  const u = totalUsage(usage);
  return { prompt: u.promptTokens, completion: u.completionTokens };
}

describe("ponder against llama-server", { skip: llamaServerSkipReason() }, () => {
  let policyServer: LlamaServer;
  let prmServer: LlamaServer;
  let engine: LlamaEngine;
  let policy: CreatedGenerator;
  let httpPrm: CreatedVerifier;
  let embeddedPrm: CreatedVerifier;
  before(async () => {
    [policyServer, prmServer] = await Promise.all([
      startLlamaServer({ model: shippedModel("policy-small"), slots: 8, contextPerSlot: 512 }),
      startLlamaServer({ model: shippedModel("prm"), slots: 4, contextPerSlot: 512 }),
    ]);
    engine = await LlamaEngine.load({ model: shippedModel("policy-small"), threads: 1, sequences: 8, contextSize: 512 });
    policy = await createGenerator(`${policyServer.baseURL}?model=policy-small&template=ponder-demo&n=auto`);
    httpPrm = await createVerifier(`prm-http:${prmServer.baseURL}?model=prm`);
    embeddedPrm = await createVerifier("prm", { threads: 1 });
  });
  after(async () => {
    await embeddedPrm?.dispose();
    await engine?.dispose();
    await Promise.all([policyServer?.close(), prmServer?.close()]);
  });

  it("connects: knows the server is llama.cpp, reads the parameter count, refuses a model it does not serve, naming those it does", async () => {
    const generator = policy.generator as OpenAIGenerator;
    assert.equal(generator.server, "llama.cpp");
    const usage = (await generator.generate({ problem: problems[0]!, until: "step", sampling })).usage["policy-small"]!;
    assert.equal(usage.flops, 2 * engine.parameters * (usage.promptTokens + usage.completionTokens), "meta.n_params is the embedded engine's parameter count");
    await assert.rejects(createGenerator(`${policyServer.baseURL}?model=policy-smal`), (e: unknown) => e instanceof InvalidOptionError && e.field === "model" && /serves: policy-small/.test(e.message));
  });

  it("fails within seconds, naming the URL, when nothing listens there", async () => {
    const started = Date.now();
    await assert.rejects(createGenerator("http://127.0.0.1:9/v1?model=x"), (e: unknown) => e instanceof ServerUnreachableError && /http:\/\/127\.0\.0\.1:9\/v1/.test(e.message) && /GET/.test(e.message));
    assert.ok(Date.now() - started < 5000);
  });

  it("decodes greedily to the embedded engine's text, steps and finish reasons", async () => {
    const local = new LlamaGenerator(engine, demoTemplate);
    for (const problem of problems) {
      const requests: GenerationRequest[] = [
        { problem, until: "solution", sampling },
        { problem, until: "step", sampling },
      ];
      for (const request of requests) {
        const [remote, embedded] = await Promise.all([policy.generator.generate(request), local.generate(request)]);
        const view = (r: typeof remote) => r.continuations.map((c) => [c.text, c.steps, c.finishReason, c.completionTokens]);
        assert.deepEqual(view(remote), view(embedded), `${problem.id} ${request.until}`);
      }
      // The step after the reference solution's last line is the end of the solution, not another step.
      const full = await local.generate({ problem, until: "solution", sampling });
      const steps = full.continuations[0]!.steps;
      const last = await policy.generator.generate({ problem, until: "step", prefix: steps, sampling });
      const lastLocal = await local.generate({ problem, until: "step", prefix: steps, sampling });
      assert.deepEqual(last.continuations.map((c) => c.finishReason), lastLocal.continuations.map((c) => c.finishReason));
    }
  });

  it("sends every sampling parameter, and llama-server applies them instead of its defaults", async () => {
    const fields = SERVER_PROFILES["llama.cpp"].sampling({ temperature: 0.7 });
    const response = await fetch(`${policyServer.rootURL}/completion`, { method: "POST", body: JSON.stringify({ prompt: "Q: 1\nA:\n", n_predict: 1, ...fields }) });
    const settings = ((await response.json()) as { generation_settings: Record<string, unknown> }).generation_settings;
    assert.deepEqual(
      { top_k: settings.top_k, top_p: settings.top_p, min_p: settings.min_p, samplers: settings.samplers, repeat_penalty: settings.repeat_penalty, temperature: Number((settings.temperature as number).toFixed(3)) },
      { top_k: 0, top_p: 1, min_p: 0, samplers: ["top_k", "top_p", "min_p", "temperature"], repeat_penalty: 1, temperature: 0.7 },
    );
  });

  it("scores with the HTTP PRM within 1e-3 of the embedded PRM, reading + and - by token id with the default settings", async () => {
    const requests = await Promise.all(
      problems.map(async (problem) => {
        const sampled = await policy.generator.generate({ problem, until: "solution", n: 2, sampling: { ...sampling, temperature: 0.9 } });
        return sampled.continuations.map((c) => ({ problem, steps: c.steps }));
      }),
    );
    const all = requests.flat().filter((r) => r.steps.length > 0);
    const [remote, local] = await Promise.all([httpPrm.verifier.score(all), embeddedPrm.verifier.score(all)]);
    let worst = 0;
    remote.stepScores.forEach((row, i) => row.forEach((s, j) => (worst = Math.max(worst, Math.abs(s - local.stepScores[i]![j]!)))));
    assert.ok(worst < 1e-3, `largest difference ${worst}`);
    assert.equal(remote.stepScores.flat().length, local.stepScores.flat().length);
  });

  it("reads by token id on /v1/completions too (mode=top-logprobs), one prompt per request so usage stays exact; top=20 names top=N when + and - are not listed", async () => {
    const requests = problems.slice(0, 3).map((problem) => ({ problem, steps: [`${problem.question.length} + 1 = 2`, "The answer is 2"] }));
    const byTop = await createVerifier(`prm-http:${prmServer.baseURL}?model=prm&mode=top-logprobs&top=800`);
    const before = await prmServer.settled();
    const [remote, local] = await Promise.all([byTop.verifier.score(requests), embeddedPrm.verifier.score(requests)]);
    const after = await prmServer.metrics();
    remote.stepScores.forEach((row, i) => row.forEach((s, j) => assert.ok(Math.abs(s - local.stepScores[i]![j]!) < 1e-3, `${s} vs ${local.stepScores[i]![j]}`)));
    assert.deepEqual(counted(remote.usage), { prompt: after.prompt_tokens_total! - before.prompt_tokens_total!, completion: after.tokens_predicted_total! - before.tokens_predicted_total! });
    // The demo PRM ranks neither "+" nor "-" among its 20 most likely tokens after a tag.
    const top20 = await createVerifier(`prm-http:${prmServer.baseURL}?model=prm&mode=top-logprobs`);
    await assert.rejects(top20.verifier.score(requests), /raise top=N in the verifier spec \(now 20\)/);
  });

  it("records usage equal to llama-server's own counters, for several samples per request and several prompts per request", async () => {
    const before = [await policyServer.settled(), await prmServer.settled()];
    let generation: Usage = {};
    let scoring: Usage = {};
    const candidates: { problem: (typeof problems)[number]; steps: string[] }[] = [];
    for (const problem of problems.slice(0, 4)) {
      const sampled = await policy.generator.generate({ problem, until: "step", n: 4, sampling: { ...sampling, temperature: 0.8, seed: 11 } });
      const more = await policy.generator.generate({ problem, until: "solution", prefix: sampled.continuations[0]!.steps, n: 3, sampling: { ...sampling, temperature: 0.8 } });
      for (const r of [sampled, more]) for (const [k, u] of Object.entries(r.usage)) generation = { ...generation, [k]: u && addTo(generation[k], u) };
      for (const c of more.continuations) candidates.push({ problem, steps: [...sampled.continuations[0]!.steps, ...c.steps] });
    }
    const fresh = await createVerifier(`prm-http:${prmServer.baseURL}?model=prm`);
    scoring = (await fresh.verifier.score(candidates)).usage;
    const after = [await policyServer.metrics(), await prmServer.metrics()];
    const delta = (i: number, name: string) => after[i]![name]! - before[i]![name]!;
    assert.deepEqual(counted(generation), { prompt: delta(0, "prompt_tokens_total"), completion: delta(0, "tokens_predicted_total") });
    assert.deepEqual(counted(scoring), { prompt: delta(1, "prompt_tokens_total"), completion: delta(1, "tokens_predicted_total") });
    assert.ok(totalUsage(generation).cachedPromptTokens > 0);
  });

  it("beam search finishes its solutions over HTTP, scored by the HTTP PRM", async () => {
    for (const problem of problems.slice(0, 3)) {
      const result = await beamSearch(problem, { generator: policy.generator, verifier: httpPrm.verifier, answers: syntheticAnswerReader }, { budget: { generations: 8 }, beamWidth: 2, seed: 7, maxSteps: 12 });
      assert.ok(result.candidates.length > 0);
      for (const c of result.candidates) assert.equal(c.finishReason, "end", `${problem.id}: ${JSON.stringify(c.steps)}`);
      assert.notEqual(result.answer, null);
      assert.ok(totalUsage(result.usage).completionTokens < 8 * 12 * 48);
    }
  });

  it("continues a prefilled chat message without reading the echoed prefill as new text", async () => {
    const chat = await createGenerator(`${policyServer.baseURL}?model=policy-small&api=chat&system=&template=ponder-demo`);
    const problem = problems[0]!;
    const prefix = ["12 + 7 = 19"];
    const { continuations } = await chat.generator.generate({ problem, until: "step", prefix, n: 2, sampling: { ...sampling, maxTokens: 16 } });
    for (const c of continuations) assert.ok(!c.text.startsWith(prefix[0]!), JSON.stringify(c.text));
    // The same as the raw continuation of the rendered chat prompt on the native endpoint.
    const rendered = (await (await fetch(`${policyServer.rootURL}/apply-template`, { method: "POST", body: JSON.stringify({ messages: [{ role: "user", content: problem.question }, { role: "assistant", content: "12 + 7 = 19\n" }] }) })).json()) as { prompt: string };
    const raw = (await (await fetch(`${policyServer.rootURL}/completion`, { method: "POST", body: JSON.stringify({ prompt: rendered.prompt, n_predict: 16, stop: ["\n"], ...SERVER_PROFILES["llama.cpp"].sampling({ temperature: 0 }) }) })).json()) as { content: string };
    assert.equal(continuations[0]!.text, raw.content);
  });

  it("asks for more samples than llama-server has slots in chunks it takes", async () => {
    const generator = await OpenAIGenerator.connect({ client: new OpenAIClient({ baseURL: policyServer.baseURL }), template: demoTemplate, n: "native" });
    const { continuations, usage } = await generator.generate({ problem: problems[1]!, until: "step", n: 12, sampling: { ...sampling, temperature: 1 } });
    assert.equal(continuations.length, 12);
    assert.equal(usage["policy-small"]!.calls, 12);
  });
});

function addTo(a: Usage[string] | undefined, b: Usage[string]): Usage[string] {
  if (!a) return { ...b };
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v + b[k as keyof typeof b]])) as Usage[string];
}
