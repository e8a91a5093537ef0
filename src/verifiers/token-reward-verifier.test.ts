import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startLoopbackServer, type LoopbackServer } from "../../test/loopback-openai-server.js";
import { tinyModelPath } from "../../test/tiny-model.js";
import { LlamaEngine } from "../backends/llama/llama-engine.js";
import { OpenAIClient } from "../backends/openai/openai-client.js";
import { emptyModelUsage } from "../core/usage.js";
import { demoTemplate } from "../templates/templates.js";
import { MissingLogprobsError } from "./errors/missing-logprobs-error.js";
import { TokenAlignmentError } from "./errors/token-alignment-error.js";
import { HttpNextTokenScorer, type LogprobsMode } from "./http-next-token-scorer.js";
import { LlamaNextTokenScorer } from "./llama-next-token-scorer.js";
import { demoPrmFormat, mathShepherdFormat, renderTokenReward, rlhflowFormat } from "./token-reward-format.js";
import { TokenRewardVerifier, twoWaySoftmax } from "./token-reward-verifier.js";

const problem = { id: "q7", question: "Ann has 3 apples and buys 4 more. How many?" };
const steps = ["3 + 4 = 7", "The answer is 7"];

describe("token reward formats", () => {
  it("demo: the demo policy's prompt, then each step followed by ' ки' and a newline, read right after the tag", () => {
    const { text, cuts } = renderTokenReward(demoPrmFormat, problem, steps);
    assert.equal(text, `${demoTemplate.render(problem)}3 + 4 = 7 ки\nThe answer is 7 ки\n`);
    assert.deepEqual(cuts.map((c) => text.slice(c - 3, c)), [" ки", " ки"]);
    assert.equal(cuts[1], text.length - 1);
  });

  it("math-shepherd and rlhflow lay steps out as their model cards do", () => {
    assert.equal(renderTokenReward(mathShepherdFormat, problem, steps).text, `${problem.question} Step 1: 3 + 4 = 7 ки\nStep 2: The answer is 7 ки\n`);
    const { text, cuts } = renderTokenReward(rlhflowFormat, { ...problem, question: "Q {step}?" }, [" a ", "b"]);
    assert.ok(text.includes("<|start_header_id|>user<|end_header_id|>\n\nQ {step}? a<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n+<|eot_id|>"));
    assert.ok(text.endsWith("user<|end_header_id|>\n\nb<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n+<|eot_id|>"));
    assert.deepEqual(cuts.map((c) => text.slice(c, c + 1)), ["+", "+"]);
  });
});

describe("TokenRewardVerifier on the embedded engine and over HTTP", () => {
  let engine: LlamaEngine;
  let server: LoopbackServer;
  before(async () => {
    engine = await LlamaEngine.load({ model: await tinyModelPath(), threads: 1, sequences: 4, contextSize: 512 });
    server = await startLoopbackServer({ engine });
  });
  after(async () => {
    await server.close();
    await engine.dispose();
  });
  const http = (mode: LogprobsMode, topLogprobs = 400) =>
    new TokenRewardVerifier({ scorer: new HttpNextTokenScorer({ client: new OpenAIClient({ baseURL: server.baseURL }), model: "loopback", server: "vllm", mode, topLogprobs }), format: demoPrmFormat });

  it("reads P(+) against P(-) at each step's tag in one forward pass", async () => {
    const verifier = new TokenRewardVerifier({ scorer: new LlamaNextTokenScorer(engine), format: demoPrmFormat, cacheSize: 0 });
    const { stepScores, usage } = await verifier.score([{ problem, steps }]);
    const tokens = engine.tokenize(renderTokenReward(demoPrmFormat, problem, steps).text, { bos: true });
    const tag = engine.tokenOf(" ки")!;
    const positions = tokens.flatMap((t, i) => (t === tag ? [i] : []));
    const { logits } = await engine.logitsAt(tokens, positions.map((position) => ({ position, candidates: [engine.tokenOf("+")!, engine.tokenOf("-")!] })));
    assert.equal(stepScores[0]!.length, 2);
    stepScores[0]!.forEach((score, i) => assert.ok(Math.abs(score - twoWaySoftmax(logits[i]![0]!, logits[i]![1]!)) < 1e-5));
    assert.equal(usage[engine.modelId]!.calls, 1);
  });

  it("scores only a beam's new step, from cache and the engine's KV prefix", async () => {
    const verifier = new TokenRewardVerifier({ scorer: new LlamaNextTokenScorer(engine), format: demoPrmFormat });
    const longer = ["1 + 2 = 3", "3 + 4 = 7", "7 + 5 = 12", "The answer is 12"];
    const first = await verifier.score([{ problem, steps: longer.slice(0, 3) }]);
    const second = await verifier.score([{ problem, steps: longer }]);
    assert.deepEqual(second.stepScores[0]!.slice(0, 3), first.stepScores[0]);
    const u = second.usage[engine.modelId]!;
    assert.ok(u.cachedPromptTokens > u.promptTokens * 2, `prefix reused: ${u.cachedPromptTokens} cached, ${u.promptTokens} evaluated`);
    const again = await verifier.score([{ problem, steps: longer }]);
    assert.deepEqual(again.stepScores, second.stepScores);
    // A memo hit costs no call, and is charged as the cached tokens reading it takes: the same whoever scored it first.
    assert.deepEqual(again.usage, { [engine.modelId]: { ...emptyModelUsage(), cachedPromptTokens: u.promptTokens + u.cachedPromptTokens } });
  });

  it("shares remembered scores only within one scope, so a search run pays for its own scoring", async () => {
    const verifier = new TokenRewardVerifier({ scorer: new LlamaNextTokenScorer(engine), format: demoPrmFormat });
    const a = await verifier.score([{ problem, steps, scope: "run-a" }]);
    const b = await verifier.score([{ problem, steps, scope: "run-b" }]);
    const again = await verifier.score([{ problem, steps, scope: "run-a" }]);
    assert.deepEqual(b.stepScores, a.stepScores);
    assert.equal(a.usage[engine.modelId]!.calls, 1);
    assert.equal(b.usage[engine.modelId]!.calls, 1, "another scope computes its own");
    assert.equal(again.usage[engine.modelId]!.calls, 0, "the same scope remembers");
    const tokens = (u: (typeof a.usage)[string]) => u.promptTokens + u.cachedPromptTokens;
    assert.equal(tokens(again.usage[engine.modelId]!), tokens(a.usage[engine.modelId]!), "and charges the same tokens");
  });

  it("scores the steps that fit the context and says why the rest cannot be read, without failing the call", async () => {
    const small = await LlamaEngine.load({ model: await tinyModelPath(), threads: 1, sequences: 1, contextSize: 256 });
    try {
      const verifier = new TokenRewardVerifier({ scorer: new LlamaNextTokenScorer(small), format: demoPrmFormat });
      const long = ["1 + 2 = 3", "3 + 4 = 7", "x".repeat(4 * small.contextSize), "The answer is 7"];
      const result = await verifier.score([{ problem, steps: long }, { problem, steps }]);
      assert.equal(result.stepScores[0]!.length, 2, "the two steps before the long one were scored");
      assert.equal(result.stepScores[1]!.length, 2, "the other request is unaffected");
      assert.equal(result.unscored?.length, 1);
      assert.equal(result.unscored![0]!.index, 0);
      assert.match(result.unscored![0]!.reason, new RegExp(`beyond its context of ${small.contextSize} tokens`));
      const read = result.usage[small.modelId]!.promptTokens + result.usage[small.modelId]!.cachedPromptTokens;
      assert.ok(read <= 2 * small.contextSize, `${read} tokens read: never more than the context per request`);
    } finally {
      await small.dispose();
    }
  });

  it("shares a prefix being scored with a concurrent call instead of scoring it twice", async () => {
    const verifier = new TokenRewardVerifier({ scorer: new LlamaNextTokenScorer(engine), format: demoPrmFormat });
    const request = { problem: { ...problem, id: "shared" }, steps };
    const [a, b] = await Promise.all([verifier.score([request]), verifier.score([request])]);
    assert.deepEqual(a.stepScores, b.stepScores);
    assert.equal((a.usage[engine.modelId]?.calls ?? 0) + (b.usage[engine.modelId]?.calls ?? 0), 1);
  });

  for (const mode of ["echo", "prompt-logprobs", "top-logprobs"] as const) {
    it(`over HTTP with ${mode}, gives the engine's scores`, async () => {
      const local = await new TokenRewardVerifier({ scorer: new LlamaNextTokenScorer(engine), format: demoPrmFormat }).score([{ problem, steps }]);
      const remote = await http(mode).score([{ problem, steps }]);
      remote.stepScores[0]!.forEach((s, i) => assert.ok(Math.abs(s - local.stepScores[0]![i]!) < 1e-4, `${mode} step ${i}: ${s} vs ${local.stepScores[0]![i]}`));
      const u = remote.usage.loopback!;
      assert.equal(u.calls, 1);
      assert.ok(u.promptTokens + u.cachedPromptTokens > 0);
    });
  }

  it("fails loudly when neither candidate is among a server's top log-probabilities", async () => {
    await assert.rejects(http("top-logprobs", 1).score([{ problem, steps }]), (e: unknown) => e instanceof MissingLogprobsError && /raise top=N in the verifier spec/.test(e.message));
  });

  it("names a format whose tag merges with the text after it", async () => {
    // " the" is one token: a read point after " th" is no token boundary, and "e" appended to " th" is read back as " the".
    const merging = { ...demoPrmFormat, name: "merging", step: "{step} th", afterStep: "e\n", positive: "e", negative: "x" };
    const local = new TokenRewardVerifier({ scorer: new LlamaNextTokenScorer(engine), format: merging });
    await assert.rejects(local.score([{ problem, steps }]), (e: unknown) => e instanceof TokenAlignmentError && /token boundary/.test(e.message));
    const remote = new TokenRewardVerifier({ scorer: new HttpNextTokenScorer({ client: new OpenAIClient({ baseURL: server.baseURL }), model: "loopback" }), format: merging });
    await assert.rejects(remote.score([{ problem, steps }]), (e: unknown) => e instanceof TokenAlignmentError && /merges/.test(e.message));
    const multi = new TokenRewardVerifier({ scorer: new LlamaNextTokenScorer(engine), format: { ...demoPrmFormat, positive: "++" } });
    await assert.rejects(multi.score([{ problem, steps }]), (e: unknown) => e instanceof TokenAlignmentError && /not a single token/.test(e.message));
  });
});
