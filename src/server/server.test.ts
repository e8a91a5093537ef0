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
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { checkListen, createServer, type PonderServer } from "./create-server.js";

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

  it("runs the early-stopping strategies with their ponder fields, and names a bad one", async () => {
    const ponder = { strategy: "deepconf-online", budget: 6, warmup: 2, keep_percent: 50, consensus: 0.9, confidence_signal: "top-k" };
    const body = { model: "ponder", messages, max_tokens: 24, seed: 5, ponder } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming;
    const response = await client.chat.completions.create(body);
    assert.equal((response as unknown as { ponder: { strategy: string } }).ponder.strategy, "deepconf-online");
    const usage = response.usage as unknown as { generations: number };
    assert.ok(usage.generations >= 2 && usage.generations <= 6, `generations ${usage.generations}`);
    for (const [field, value] of [["keep_percent", 0], ["confidence_signal", "entropy"], ["consensus", 1.5]] as const) {
      const bad = { ...body, ponder: { ...ponder, [field]: value } } as OpenAI.ChatCompletionCreateParamsNonStreaming;
      await assert.rejects(client.chat.completions.create(bad), (e: unknown) => e instanceof OpenAI.BadRequestError && e.param === `ponder.${field}`, field);
    }
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
      // Close only once the request is admitted: on a loaded machine 20 ms was not always enough to reach the server.
      await waitFor(() => server.stats().running === 1);
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

describe("ponder's server: what it logs, and what it never shows", () => {
  it("logs every refusal once (400, 401, 404, 429) and a client that went away as a disconnect, not a 503", async () => {
    const tiny = await tinyBackends();
    const lines: string[] = [];
    const server = createServer({ backends: tiny.backends, apiKey: "sesame", concurrency: 1, maxQueued: 0, log: (line) => lines.push(line) });
    const { url } = await server.listen({ port: 0 });
    const post = (body: object, init: RequestInit = {}) =>
      fetch(`${url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer sesame" }, body: JSON.stringify(body), ...init });
    try {
      assert.equal((await fetch(`${url}/v1/models`)).status, 401);
      assert.equal((await fetch(`${url}/v2/nothing`)).status, 404);
      assert.equal((await post({ model: "ponder/majority:4", messages: [] })).status, 400);
      // A slow search holds the only slot: the next request is refused with 429, then the first client leaves.
      const leaving = new AbortController();
      const slow = post({ model: "ponder/majority:16", messages, max_tokens: 400, ponder: { token_budget: 6400 } }, { signal: leaving.signal }).catch(() => null);
      await waitFor(() => server.stats().running === 1);
      assert.equal((await post({ model: "ponder/majority:2", messages })).status, 429);
      leaving.abort();
      await slow;
      await waitFor(() => lines.some((l) => /client disconnected/.test(l)));
      for (const pattern of [/GET \/v1\/models 401 invalid_api_key/, /GET \/v2\/nothing 404 unknown_route/, /POST \/v1\/chat\/completions 400 /, /POST \/v1\/chat\/completions 429 queue_full/]) {
        assert.equal(lines.filter((l) => pattern.test(l)).length, 1, `${pattern} once in:\n${lines.join("\n")}`);
      }
      assert.ok(!lines.some((l) => / 503 /.test(l)), `a disconnect is not logged as 503:\n${lines.join("\n")}`);
      assert.ok(!lines.join("\n").includes("sesame"), "the API key is never logged");
    } finally {
      await server.close({ graceMs: 1000 });
      await tiny.engine.dispose();
    }
  });

  it("masks credentials of an upstream endpoint in 502 bodies and in the log", async () => {
    const lines: string[] = [];
    const generator = new OpenAIGenerator({
      client: new OpenAIClient({ baseURL: "http://someone:hunter22@127.0.0.1:9/v1?api_key=qsecret123", maxRetries: 0 }),
      model: "upstream",
      template: demoTemplate,
    });
    const server = createServer({ backends: { generator, answers: mathAnswerReader }, log: (line) => lines.push(line) });
    try {
      const response = await server.app.fetch(
        new Request("http://ponder/v1/chat/completions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "ponder/majority:2", messages }) }),
      );
      const body = await response.text();
      assert.equal(response.status, 502, body);
      for (const text of [body, lines.join("\n")]) {
        assert.ok(!/hunter22|qsecret123|someone:/.test(text), `credentials shown: ${text}`);
        assert.match(text, /\[redacted\]/);
      }
    } finally {
      await server.close({ graceMs: 100 });
    }
  });

  it("refuses a token_budget too small to start with a 400 naming it and the minimum, and serves max_tokens at the advertised cap", async () => {
    const tiny = await tinyBackends();
    const server = createServer({ backends: tiny.backends });
    const ask = async (body: object) => {
      const response = await server.app.fetch(new Request("http://ponder/v1/chat/completions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
      return { status: response.status, body: (await response.json()) as { error?: { param: string; message: string }; choices?: { finish_reason: string }[] } };
    };
    try {
      const small = await ask({ model: "ponder/weighted-best-of-n:4", messages, max_tokens: 64, ponder: { token_budget: 10 } });
      assert.equal(small.status, 400);
      assert.equal(small.body.error!.param, "ponder.token_budget");
      assert.match(small.body.error!.message, /at least 64/);
      const beams = await ask({ model: "ponder/beam-search:8", messages, ponder: { token_budget: 100, max_step_tokens: 32 } });
      assert.equal(beams.status, 400);
      assert.match(beams.body.error!.message, /at least 256/);
      // The tiny model's context is 512 tokens: max_tokens 1024 is cut to the room the prompt leaves, never refused.
      const capped = await ask({ model: "ponder/majority:2", messages, max_tokens: 1024 });
      assert.equal(capped.status, 200, JSON.stringify(capped.body));
      assert.ok(["stop", "length"].includes(capped.body.choices![0]!.finish_reason));
    } finally {
      await server.close({ graceMs: 100 });
      await tiny.engine.dispose();
    }
  });

  it("names the flag when it cannot listen on the host", async () => {
    const server = createServer({ backends: { generator: new OpenAIGenerator({ client: new OpenAIClient({ baseURL: "http://127.0.0.1:9/v1" }), model: "m" }), answers: mathAnswerReader } });
    await assert.rejects(server.listen({ port: 0, host: "no-such-host.invalid" }), (e: unknown) => e instanceof InvalidOptionError && e.field === "host" && /does not resolve/.test(e.message));
    await assert.rejects(checkListen("10.255.255.1", 0), (e: unknown) => e instanceof InvalidOptionError && e.field === "host");
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
