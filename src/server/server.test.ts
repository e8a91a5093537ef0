import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import OpenAI from "openai";
import { startLoopbackServer } from "../../test/loopback-openai-server.js";
import { tinyModelPath } from "../../test/tiny-model.js";
import { LlamaEngine } from "../backends/llama/llama-engine.js";
import { LlamaGenerator } from "../backends/llama/llama-generator.js";
import { OpenAIClient } from "../backends/openai/openai-client.js";
import { OpenAIGenerator } from "../backends/openai/openai-generator.js";
import { createRng } from "../core/rng.js";
import { mathAnswerReader } from "../grading/math-answer-reader.js";
import { demoTemplate } from "../templates/templates.js";
import { LlamaNextTokenScorer } from "../verifiers/llama-next-token-scorer.js";
import { demoPrmFormat } from "../verifiers/token-reward-format.js";
import { TokenRewardVerifier } from "../verifiers/token-reward-verifier.js";
import { createServer, type PonderServer } from "./create-server.js";

const messages = [{ role: "user" as const, content: "Ann has 3 apples. Ann buys 4 more apples. How many apples does Ann have now?" }];

async function tinyBackends() {
  const engine = await LlamaEngine.load({ model: await tinyModelPath({ arithmetic: true }), threads: 1, sequences: 8, contextSize: 512 });
  const generator = new LlamaGenerator(engine, demoTemplate);
  const verifier = new TokenRewardVerifier({ scorer: new LlamaNextTokenScorer(engine), format: demoPrmFormat });
  return { engine, backends: { generator, verifier, answers: mathAnswerReader } };
}

describe("ponder's server through the official openai client, on the embedded engine", () => {
  let engine: LlamaEngine;
  let server: PonderServer;
  let client: OpenAI;
  before(async () => {
    const tiny = await tinyBackends();
    engine = tiny.engine;
    server = createServer({ backends: tiny.backends, concurrency: 2 });
    const { url } = await server.listen({ port: 0 });
    client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "unused", maxRetries: 0 });
  });
  after(async () => {
    await server.close({ graceMs: 1000 });
    await engine.dispose();
  });

  it("answers chat completions with the strategy and budget of the model name, usage extended by generations and FLOPs", async () => {
    const response = await client.chat.completions.create({ model: "ponder/beam-search:4", messages, max_tokens: 24, seed: 3 });
    assert.equal(response.object, "chat.completion");
    assert.equal(typeof response.choices[0]!.message.content, "string");
    const usage = response.usage as unknown as { generations: number; flops: number; completion_tokens: number };
    assert.ok(usage.generations >= 1 && usage.generations <= 4, `generations ${usage.generations}`);
    assert.ok(usage.flops > 0 && usage.completion_tokens > 0);
    assert.equal((response as unknown as { ponder: { strategy: string } }).ponder.strategy, "beam-search");
    const again = await client.chat.completions.create({ model: "ponder/beam-search:4", messages, max_tokens: 24, seed: 3 });
    assert.equal(again.choices[0]!.message.content, response.choices[0]!.message.content, "the same seed gives the same answer");
  });

  it("serves completions and lists models", async () => {
    const response = await client.completions.create({ model: "ponder/majority:3", prompt: "Bo has 5 pens. How many pens does Bo have now?", max_tokens: 16 });
    assert.equal(typeof response.choices[0]!.text, "string");
    const models = (await client.models.list()).data.map((m) => m.id);
    for (const id of ["ponder", "ponder/majority", "ponder/beam-search", "ponder/dvts"]) assert.ok(models.includes(id), `${id} in ${models.join(", ")}`);
    assert.ok(!models.includes("ponder/auto"), "auto is offered only with a policy");
  });

  it("streams search progress while the search runs, then the same answer as without streaming", async () => {
    const body = { model: "ponder/beam-search:4", messages, max_tokens: 24, seed: 9 };
    const plain = await client.chat.completions.create(body);
    const stream = await client.chat.completions.create({ ...body, stream: true });
    let progress = 0;
    let contentBeforeProgress = false;
    let text = "";
    for await (const chunk of stream) {
      if ((chunk as unknown as { ponder?: { event?: unknown } }).ponder?.event) {
        progress++;
        if (text !== "") contentBeforeProgress = true;
      }
      text += chunk.choices[0]?.delta.content ?? "";
    }
    assert.ok(progress >= 2, `${progress} progress events`);
    assert.equal(contentBeforeProgress, false, "progress comes before the answer");
    assert.equal(text, plain.choices[0]!.message.content);
  });

  it("refuses bad requests with a 400 naming the field, and budgets above the cap", async () => {
    await assert.rejects(client.chat.completions.create({ model: "ponder/nope:4", messages }), (e: unknown) => e instanceof OpenAI.BadRequestError && e.param === "model");
    await assert.rejects(client.chat.completions.create({ model: "ponder/majority:4", messages: [] }), (e: unknown) => e instanceof OpenAI.BadRequestError && e.param === "messages");
    await assert.rejects(client.chat.completions.create({ model: "ponder/majority:1000", messages }), (e: unknown) => e instanceof OpenAI.BadRequestError && e.code === "compute_cap_exceeded");
  });
});

describe("ponder's server: API key, backpressure and graceful shutdown", () => {
  it("requires the key, answers 429 with Retry-After past the queue, and finishes in-flight requests on close", async () => {
    const tiny = await tinyBackends();
    const server = createServer({ backends: tiny.backends, apiKey: "sesame", concurrency: 1, maxQueued: 1 });
    const { url } = await server.listen({ port: 0 });
    try {
      const wrong = new OpenAI({ baseURL: `${url}/v1`, apiKey: "guess", maxRetries: 0 });
      await assert.rejects(wrong.models.list(), (e: unknown) => e instanceof OpenAI.AuthenticationError && !JSON.stringify(e.error).includes("guess"));

      const post = () =>
        fetch(`${url}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer sesame" },
          body: JSON.stringify({ model: "ponder/majority:8", messages, max_tokens: 48 }),
        });
      const responses = await Promise.all([post(), post(), post(), post()]);
      const statuses = responses.map((r) => r.status).sort();
      assert.ok(statuses.includes(200) && statuses.includes(429), `statuses ${statuses.join(",")}`);
      const refused = responses.find((r) => r.status === 429)!;
      assert.ok(Number(refused.headers.get("retry-after")) >= 1);

      const inFlight = post();
      await new Promise((r) => setTimeout(r, 20));
      const closed = server.close({ graceMs: 20_000 });
      assert.equal((await inFlight).status, 200, "an admitted request finishes during shutdown");
      assert.equal((await closed).cancelled, 0);
    } finally {
      await server.close({ graceMs: 1000 });
      await tiny.engine.dispose();
    }
  });
});

describe("ponder's server over a backend that fails 20% of its calls", () => {
  it("answers every request within the HTTP client's retry budget", async () => {
    const engine = await LlamaEngine.load({ model: await tinyModelPath({ arithmetic: true }), threads: 1, sequences: 8, contextSize: 512 });
    const backend = await startLoopbackServer({ engine });
    const rng = createRng(2024);
    let calls = 0;
    let failed = 0;
    // Fault injection: a seeded fifth of the backend calls get a 503 or a reset connection.
    const flaky: typeof fetch = async (input, init) => {
      calls++;
      const r = rng();
      if (r < 0.1) return (failed++, new Response(JSON.stringify({ error: { message: "injected overload" } }), { status: 503 }));
      if (r < 0.2) throw (failed++, new TypeError("fetch failed", { cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }) }));
      return fetch(input, init);
    };
    const generator = new OpenAIGenerator({
      client: new OpenAIClient({ baseURL: backend.baseURL, fetch: flaky, maxRetries: 6, retryBaseMs: 5, retryMaxMs: 40, seed: 1 }),
      model: "loopback",
      template: demoTemplate,
    });
    const server = createServer({ backends: { generator, answers: mathAnswerReader }, concurrency: 4 });
    const { url } = await server.listen({ port: 0 });
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "unused", maxRetries: 0 });
    try {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => client.chat.completions.create({ model: "ponder/majority:4", messages: [{ role: "user", content: `Kim has ${i + 2} cups. How many cups does Kim have now?` }], max_tokens: 16 })),
      );
      assert.equal(answers.length, 20);
      assert.ok(answers.every((a) => typeof a.choices[0]!.message.content === "string"));
      assert.ok(failed >= 0.1 * calls, `${failed} of ${calls} backend calls failed`);
    } finally {
      await server.close({ graceMs: 1000 });
      await backend.close();
      await engine.dispose();
    }
  });
});
