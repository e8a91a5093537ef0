import assert from "node:assert/strict";
import { inspect } from "node:util";
import { after, before, describe, it } from "node:test";
import OpenAI from "openai";
import { startLoopbackServer, type LoopbackServer } from "../../../test/loopback-openai-server.js";
import { tinyModelPath } from "../../../test/tiny-model.js";
import { AbortedError } from "../../core/errors/aborted-error.js";
import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import { LlamaEngine } from "../llama/llama-engine.js";
import { OpenAIRequestError } from "./errors/openai-request-error.js";
import { OpenAIClient, type RetryEvent } from "./openai-client.js";

const KEY = "sk-loopback-7f3a9c1e5b2d4f6a8c0e";
const body = { model: "loopback", prompt: "Q: 1 + 1\nA:\n", max_tokens: 6, temperature: 0.7, seed: 5 };

describe("OpenAIClient against a real loopback server", () => {
  let engine: LlamaEngine;
  let server: LoopbackServer;
  before(async () => {
    engine = await LlamaEngine.load({ model: await tinyModelPath(), threads: 1, sequences: 4, contextSize: 256 });
    server = await startLoopbackServer({ engine, apiKey: KEY });
  });
  after(async () => {
    await server.close();
    await engine.dispose();
  });
  const client = (options: Partial<ConstructorParameters<typeof OpenAIClient>[0]> = {}) =>
    new OpenAIClient({ baseURL: server.baseURL, apiKey: KEY, retryBaseMs: 5, retryMaxMs: 40, ...options });

  it("reads the same completion as the official openai client, with the server's request id", async () => {
    const official = await new OpenAI({ baseURL: server.baseURL, apiKey: KEY }).completions.create({ ...body, stream: false });
    const ours = await client().completions(body);
    assert.equal(ours.data.choices[0]!.text, official.choices[0]!.text);
    assert.equal(ours.data.usage?.completion_tokens, official.usage?.completion_tokens);
    assert.match(ours.requestId ?? "", /^loopback-\d+$/);
    assert.equal(ours.attempts, 1);
    assert.deepEqual(await client().models(), ["loopback"]);
  });

  it("retries a 429 after exactly its Retry-After, then a 500 after a jittered backoff", async () => {
    const events: RetryEvent[] = [];
    server.inject({ status: 429, retryAfter: "0.03" }, { status: 500 });
    const response = await client({ onRetry: (e) => events.push(e) }).completions(body);
    assert.equal(response.attempts, 3);
    assert.deepEqual(events.map((e) => [e.reason, e.status]), [["http", 429], ["http", 500]]);
    assert.equal(events[0]!.delayMs, 30);
    assert.ok(events[1]!.delayMs >= 0 && events[1]!.delayMs < 10, "second retry waits within [0, base·2)");
    assert.equal(events[0]!.url, `${server.baseURL}/completions`);
  });

  it("bounds retries: full-jitter waits stay under min(max, base·2^k), then the error carries status and attempts", async () => {
    const events: RetryEvent[] = [];
    server.inject({ status: 503 }, { status: 502 }, { status: 503 }, { status: 500 });
    const error = await client({ maxRetries: 3, onRetry: (e) => events.push(e) }).completions(body).catch((e: unknown) => e);
    assert.ok(error instanceof OpenAIRequestError);
    assert.equal(error.status, 500);
    assert.equal(error.attempts, 4);
    assert.equal(error.reason, "http");
    assert.match(error.message, /after 4 attempts: HTTP 500: injected 500/);
    assert.deepEqual(events.map((e) => e.attempt), [1, 2, 3]);
    events.forEach((e, k) => assert.ok(e.delayMs >= 0 && e.delayMs < Math.min(40, 5 * 2 ** k), `retry ${k} waited ${e.delayMs}`));
  });

  it("retries a dropped connection and a response slower than the per-attempt timeout", async () => {
    const events: RetryEvent[] = [];
    server.inject({ drop: true }, { delayMs: 400 });
    const response = await client({ timeoutMs: 150, onRetry: (e) => events.push(e) }).completions(body);
    assert.equal(response.attempts, 3);
    assert.deepEqual(events.map((e) => e.reason), ["network", "timeout"]);
  });

  it("gives up on timeouts with a timeout error", async () => {
    server.inject({ delayMs: 300 }, { delayMs: 300 });
    const error = await client({ timeoutMs: 100, maxRetries: 1 }).completions(body).catch((e: unknown) => e);
    assert.ok(error instanceof OpenAIRequestError && error.reason === "timeout" && error.status === null && error.attempts === 2, String(error));
  });

  it("does not retry a 400, and fails at once when Retry-After exceeds the limit", async () => {
    const bad = await client().completions({ ...body, max_tokens: 0 }).catch((e: unknown) => e);
    assert.ok(bad instanceof OpenAIRequestError && bad.status === 400 && bad.attempts === 1);
    assert.match(bad.message, /max_tokens must be at least 1/);
    server.inject({ status: 429, retryAfter: "120" });
    const slow = await client().completions(body).catch((e: unknown) => e);
    assert.ok(slow instanceof OpenAIRequestError && slow.attempts === 1);
    assert.match(slow.message, /retry after 120 s, longer than maxRetryAfterMs/);
  });

  it("rejects a 200 whose body is not a completion, naming where", async () => {
    server.inject({ status: 200, body: JSON.stringify({ choices: [{ index: 0 }] }) });
    const error = await client().completions(body).catch((e: unknown) => e);
    assert.ok(error instanceof OpenAIRequestError && error.reason === "malformed");
    assert.match(error.message, /choices\.0\.text/);
  });

  it("never puts the API key in an error, even when the server echoes it back", async () => {
    for (const fault of [{ echoAuthorization: true } as const, undefined]) {
      if (fault) server.inject(fault);
      const wrongKey = "sk-wrong-0123456789abcdefghijkl";
      const error = await client({ apiKey: wrongKey }).completions(body).catch((e: unknown) => e);
      assert.ok(error instanceof OpenAIRequestError && error.status === 401);
      const everything = [error.message, error.body, JSON.stringify(error), inspect(error, { depth: 5 }), String(error.stack)].join("\n");
      assert.ok(!everything.includes(wrongKey), everything);
      for (let i = 0; i + 8 <= wrongKey.length; i++) assert.ok(!everything.includes(wrongKey.slice(i, i + 8)), `a piece of the key leaked: ${wrongKey.slice(i, i + 8)}`);
      assert.match(error.message, /Incorrect API key provided: Bearer \[redacted\]/);
    }
    assert.ok(!inspect(client(), { depth: 5 }).includes(KEY), "the client does not show its key either");
  });

  it("reads the key from the environment variable it is told", async () => {
    process.env.PONDER_LOOPBACK_KEY = KEY;
    try {
      const response = await new OpenAIClient({ baseURL: server.baseURL, apiKeyEnv: "PONDER_LOOPBACK_KEY" }).completions(body);
      assert.equal(response.attempts, 1);
    } finally {
      delete process.env.PONDER_LOOPBACK_KEY;
    }
    assert.throws(() => new OpenAIClient({ baseURL: server.baseURL, apiKeyEnv: "PONDER_NO_SUCH_KEY" }), (e: unknown) => e instanceof InvalidOptionError && /PONDER_NO_SUCH_KEY/.test(e.message));
  });

  it("cancels a wait between attempts, and sends nothing more", async () => {
    server.inject({ status: 429, retryAfter: "5" });
    const controller = new AbortController();
    const events: RetryEvent[] = [];
    const pending = client({ onRetry: (e) => (events.push(e), setTimeout(() => controller.abort(), 20)) }).completions(body, controller.signal);
    await assert.rejects(pending, AbortedError);
    const sent = server.requests.length;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(server.requests.length, sent);
    assert.equal(events.length, 1);
  });

  it("limits concurrency, and a queued request aborted while waiting never reaches the server", async () => {
    const limited = client({ maxConcurrency: 1 });
    server.inject({ delayMs: 200 });
    const before = server.requests.length;
    const first = limited.completions(body);
    const controller = new AbortController();
    const second = limited.completions({ ...body, seed: 99 }, controller.signal);
    setTimeout(() => controller.abort(), 30);
    await assert.rejects(second, AbortedError);
    assert.equal((await first).attempts, 1);
    assert.equal(server.requests.length, before + 1);
    const inFlight = new AbortController();
    server.inject({ delayMs: 300 });
    const third = limited.completions(body, inFlight.signal);
    setTimeout(() => inFlight.abort(), 30);
    await assert.rejects(third, AbortedError);
  });

  it("rejects bad options naming the field", () => {
    assert.throws(() => new OpenAIClient({ baseURL: "localhost:8000" }), (e: unknown) => e instanceof InvalidOptionError && e.field === "baseURL");
    assert.throws(() => new OpenAIClient({ baseURL: "ftp://x/v1" }), (e: unknown) => e instanceof InvalidOptionError && e.field === "baseURL");
    assert.throws(() => new OpenAIClient({ baseURL: server.baseURL, maxRetries: -1 }), (e: unknown) => e instanceof InvalidOptionError && e.field === "maxRetries");
    assert.throws(() => new OpenAIClient({ baseURL: server.baseURL, maxConcurrency: 0 }), (e: unknown) => e instanceof InvalidOptionError && e.field === "maxConcurrency");
    assert.equal(new OpenAIClient({ baseURL: "http://h:1/v1/" }).rootURL, "http://h:1");
  });
});
