import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { renderChat } from "../../../test/loopback-engine-routes.js";
import { startLoopbackServer } from "../../../test/loopback-openai-server.js";
import { EOS, scriptedModelPath } from "../../../test/scripted-model.js";
import { tinyModelPath } from "../../../test/tiny-model.js";
import { AbortedError } from "../../core/errors/aborted-error.js";
import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import type { GenerationRequest } from "../../core/generator.js";
import { deriveSeed } from "../../core/rng.js";
import { demoTemplate } from "../../templates/templates.js";
import { LlamaEngine } from "../llama/llama-engine.js";
import { LlamaGenerator } from "../llama/llama-generator.js";
import { chatMessages } from "./chat-messages.js";
import { ServerCapabilityError } from "./errors/server-capability-error.js";
import { OpenAIClient } from "./openai-client.js";
import { OpenAIGenerator, type OpenAIGeneratorOptions } from "./openai-generator.js";

const problem = { id: "p1", question: "Tom has 3 + 4 apples. How many?" };
const sampling = { temperature: 0.9, maxTokens: 12, seed: 21 };
const step = (extra: Partial<GenerationRequest> = {}): GenerationRequest => ({ problem, until: "step", n: 1, sampling, ...extra });

// The loopback server copies vLLM's documented API (see test/loopback-engine-routes.ts); llama.cpp's
// server is tested for real in llama-server.test.ts.
async function serve(model: string, options: Parameters<typeof startLoopbackServer>[0] extends infer O ? Omit<O, "engine"> : never = {}) {
  const engine = await LlamaEngine.load({ model, threads: 1, sequences: 4, contextSize: 256 });
  const server = await startLoopbackServer({ engine, ...options });
  const generator = (o: Partial<OpenAIGeneratorOptions> = {}) =>
    new OpenAIGenerator({ client: new OpenAIClient({ baseURL: server.baseURL }), model: "loopback", server: "vllm", template: demoTemplate, ...o });
  return { engine, server, generator, close: async () => (await server.close(), await engine.dispose()) };
}

describe("OpenAIGenerator on a loopback vLLM double running the tiny model", () => {
  let s: Awaited<ReturnType<typeof serve>>;
  before(async () => (s = await serve(await tinyModelPath({ arithmetic: true }))));
  after(() => s.close());

  it("gives exactly the embedded LlamaGenerator's samples for the same seed, steps and whole solutions", async () => {
    const local = new LlamaGenerator(s.engine, demoTemplate);
    for (const request of [step({ n: 3 }), step({ n: 2, until: "solution", prefix: ["3 + 4 = 7"] })]) {
      const remote = await s.generator().generate(request);
      const embedded = await local.generate(request);
      assert.deepEqual(remote.continuations.map((c) => [c.text, c.finishReason, c.steps]), embedded.continuations.map((c) => [c.text, c.finishReason, c.steps]));
    }
  });

  it("draws sample i the same whatever n, and other samples for another seed", async () => {
    const four = await s.generator().generate(step({ n: 4 }));
    const two = await s.generator().generate(step({ n: 2 }));
    const again = await s.generator().generate(step({ n: 4 }));
    const other = await s.generator().generate(step({ n: 4, sampling: { ...sampling, seed: 22 } }));
    assert.deepEqual(two.continuations.map((c) => c.text), four.continuations.slice(0, 2).map((c) => c.text));
    assert.deepEqual(again.continuations, four.continuations);
    assert.notDeepEqual(other.continuations.map((c) => c.text), four.continuations.map((c) => c.text));
  });

  it("records usage as the embedded generator does: generations only from the question, prompt, cached and completion tokens, FLOPs", async () => {
    const parameters = 1000;
    const first = await s.generator({ parameters, modelId: "policy" }).generate(step({ n: 3 }));
    const u = first.usage.policy!;
    assert.equal(u.generations, 3);
    assert.equal(u.calls, 3);
    assert.equal(u.completionTokens, first.continuations.reduce((sum, c) => sum + c.completionTokens, 0));
    assert.ok(u.promptTokens + u.cachedPromptTokens >= 3 * 10, "every request's prompt is counted, evaluated or cached");
    assert.ok(u.cachedPromptTokens > 0, "the server reports its prefix cache hits");
    assert.equal(u.flops, 2 * parameters * (u.promptTokens + u.completionTokens));
    const later = await s.generator({ modelId: "policy" }).generate(step({ prefix: ["3 + 4 = 7"] }));
    assert.equal(later.usage.policy!.generations, 0);
    assert.equal(later.usage.policy!.calls, 1);
  });

  it("asks for n natively when told, and falls back to parallel requests when a server ignores n", async () => {
    const before = s.server.requests.length;
    const native = await s.generator({ n: "native" }).generate(step({ n: 3 }));
    assert.equal(native.continuations.length, 3);
    assert.equal(s.server.requests.length, before + 1);
    assert.equal(s.server.requests.at(-1)!.body!.n, 3);
    // vLLM counts a prompt once however many samples it has; the two after the first share its evaluation.
    const prompt = s.engine.tokenize(demoTemplate.render(problem), { bos: true }).length;
    const u = native.usage.loopback!;
    assert.equal(u.promptTokens + u.cachedPromptTokens, 3 * prompt);
    assert.ok(u.cachedPromptTokens >= 2 * prompt);
    assert.equal(u.completionTokens, native.continuations.reduce((sum, c) => sum + c.completionTokens, 0));
    const ignoring = await serve(await tinyModelPath({ arithmetic: true }), { supportsN: false });
    try {
      const auto = ignoring.generator({ n: "auto" });
      const first = await auto.generate(step({ n: 3 }));
      const second = await auto.generate(step({ n: 3 }));
      assert.equal(first.continuations.length, 3);
      assert.deepEqual(ignoring.server.requests.map((r) => r.body!.n ?? 1), [3, 1, 1, 1, 1, 1], "one try with n, then emulation for good");
      assert.deepEqual(second.continuations.map((c) => c.text), first.continuations.map((c) => c.text));
    } finally {
      await ignoring.close();
    }
  });

  it("returns token log-probabilities when asked", async () => {
    const { continuations } = await s.generator().generate(step({ n: 2, logprobs: true }));
    for (const c of continuations) {
      assert.ok(c.tokenLogprobs && c.tokenLogprobs.length > 0);
      for (const lp of c.tokenLogprobs) assert.ok(lp <= 0 && lp > -50, `logprob ${lp}`);
    }
  });

  it("continues an assistant prefix on a chat-only server with vLLM's continue_final_message", async () => {
    const prefix = ["3 + 4 = 7"];
    const { continuations } = await s.generator({ api: "chat", system: "Be brief." }).generate(step({ prefix }));
    const sent = s.server.requests.at(-1)!;
    assert.equal(sent.path, "/v1/chat/completions");
    assert.equal(sent.body!.continue_final_message, true);
    assert.equal(sent.body!.add_generation_prompt, false);
    const text = renderChat(chatMessages(problem, prefix, [], { system: "Be brief.", stepDelimiter: "\n" }), true);
    const expected = await s.engine.complete(s.engine.tokenize(text, { bos: true }), { sampling: { ...sampling, seed: deriveSeed(sampling.seed, 0) }, stop: ["\n"] });
    assert.equal(continuations[0]!.text, expected.text);
  });

  it("refuses a prefix on a chat server without prefill, saying what would work", async () => {
    const generator = s.generator({ api: "chat", prefill: "none" });
    await assert.rejects(generator.generate(step({ prefix: ["1 + 1 = 2"] })), (e: unknown) => e instanceof ServerCapabilityError && /continue-final-message/.test(e.message));
    const whole = await generator.generate(step({ until: "solution" }));
    assert.equal(whole.continuations.length, 1);
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(s.generator().generate(step(), controller.signal), AbortedError);
  });

  it("finds the model name on the server, and rejects bad options naming the field", async () => {
    const found = await OpenAIGenerator.connect({ client: new OpenAIClient({ baseURL: s.server.baseURL }) });
    assert.equal(found.modelId, "loopback");
    const client = new OpenAIClient({ baseURL: s.server.baseURL });
    assert.throws(() => new OpenAIGenerator({ client, model: "" }), (e: unknown) => e instanceof InvalidOptionError && e.field === "model");
    assert.throws(() => new OpenAIGenerator({ client, model: "m", api: "rpc" as "chat" }), (e: unknown) => e instanceof InvalidOptionError && e.field === "api");
    assert.throws(() => new OpenAIGenerator({ client, model: "m", n: "all" as "auto" }), (e: unknown) => e instanceof InvalidOptionError && e.field === "n");
    await assert.rejects(s.generator().generate(step({ n: 0 })), (e: unknown) => e instanceof InvalidOptionError && e.field === "n");
  });
});

describe("OpenAIGenerator finish reasons on scripted models", () => {
  it("maps a stop at the delimiter to step, end-of-sequence to end and the token cap to length", async () => {
    // After any newline the model writes "7" and then ends; after "a" it writes a newline.
    const s = await serve(await scriptedModelPath([["\n", "7"], ["7", EOS], ["a", "\n"]]));
    try {
      const ended = await s.generator().generate(step());
      assert.deepEqual([ended.continuations[0]!.text, ended.continuations[0]!.finishReason, ended.continuations[0]!.steps], ["7", "end", ["7"]]);
      const stepped = await s.generator({ template: { ...demoTemplate, render: () => "a" } }).generate(step());
      assert.deepEqual([stepped.continuations[0]!.text, stepped.continuations[0]!.finishReason], ["", "step"]);
      const cut = await s.generator().generate(step({ sampling: { ...sampling, maxTokens: 1 } }));
      assert.equal(cut.continuations[0]!.finishReason, "length");
    } finally {
      await s.close();
    }
  });

  it("reads SGLang's matched_stop as vLLM's stop_reason", async () => {
    const s = await serve(await scriptedModelPath([["\n", "7"], ["7", EOS], ["a", "\n"]]), { matchedStop: true, ownedBy: "sglang" });
    try {
      const ended = await s.generator({ server: "sglang" }).generate(step());
      assert.deepEqual([ended.continuations[0]!.text, ended.continuations[0]!.finishReason], ["7", "end"]);
      const stepped = await s.generator({ server: "sglang", template: { ...demoTemplate, render: () => "a" } }).generate(step());
      assert.deepEqual([stepped.continuations[0]!.text, stepped.continuations[0]!.finishReason], ["", "step"]);
      assert.equal((await OpenAIGenerator.connect({ client: new OpenAIClient({ baseURL: s.server.baseURL }) })).server, "sglang");
    } finally {
      await s.close();
    }
  });

  it("on a server that does not say why it stopped, sends no stop string and cuts the step itself, so a finished solution is never read as a step", async () => {
    // "7" then end-of-sequence: a solution that ended (llama.cpp's /v1 and OpenAI answer "stop" for both).
    const ends = await serve(await scriptedModelPath([["\n", "7"], ["7", EOS]]), { stopReason: false, ownedBy: "someone" });
    // "7\n7\n…": a step, then more.
    const goesOn = await serve(await scriptedModelPath([["\n", "7"], ["7", "\n"]]), { stopReason: false, ownedBy: "someone" });
    try {
      const generic = await OpenAIGenerator.connect({ client: new OpenAIClient({ baseURL: ends.server.baseURL }), template: demoTemplate });
      assert.equal(generic.server, "generic");
      const ended = await generic.generate(step());
      assert.deepEqual([ended.continuations[0]!.text, ended.continuations[0]!.finishReason, ended.continuations[0]!.steps], ["7", "end", ["7"]]);
      assert.equal(ends.server.requests.at(-1)!.body!.stop, undefined);
      const stepped = await goesOn.generator({ server: "generic" }).generate(step());
      assert.deepEqual([stepped.continuations[0]!.text, stepped.continuations[0]!.finishReason], ["7", "step"]);
      assert.equal(stepped.usage.loopback!.completionTokens, sampling.maxTokens, "the tokens generated past the delimiter are counted");
    } finally {
      await ends.close();
      await goesOn.close();
    }
  });
});
