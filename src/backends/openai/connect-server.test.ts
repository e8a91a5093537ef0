import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startLoopbackServer, type LoopbackServer } from "../../../test/loopback-openai-server.js";
import { tinyModelPath } from "../../../test/tiny-model.js";
import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import { createGenerator, printRetry } from "../create-generator.js";
import { LlamaEngine } from "../llama/llama-engine.js";
import { connectServer } from "./connect-server.js";
import { ServerUnreachableError } from "./errors/server-unreachable-error.js";
import { OpenAIClient, type RetryEvent } from "./openai-client.js";
import { detectServerKind, SERVER_PROFILES } from "./server-kind.js";

describe("server kinds", () => {
  it("are told apart by what /v1/models says", () => {
    const kind = (owned_by: string, url = "http://h:8000/v1") => detectServerKind([{ id: "m", owned_by }], url);
    assert.deepEqual(
      ["llamacpp", "vllm", "sglang", "library", "openai", "system", "someone"].map((o) => kind(o)),
      ["llama.cpp", "vllm", "sglang", "ollama", "openai", "openai", "generic"],
    );
    assert.equal(kind("user-123", "https://api.openai.com/v1"), "openai");
  });

  it("send every sampling field each server reads, so its defaults never apply", () => {
    const base = { temperature: 0.8 };
    assert.deepEqual(SERVER_PROFILES.vllm.sampling(base), { temperature: 0.8, top_p: 1, top_k: -1, min_p: 0, repetition_penalty: 1, presence_penalty: 0, frequency_penalty: 0 });
    assert.equal(SERVER_PROFILES.sglang.sampling({ ...base, topK: 20 }).top_k, 20);
    const llama = SERVER_PROFILES["llama.cpp"].sampling({ ...base, topP: 0.9 });
    assert.deepEqual([llama.top_k, llama.top_p, llama.min_p, llama.samplers], [0, 0.9, 0, ["top_k", "top_p", "min_p", "temperature"]]);
    assert.deepEqual(SERVER_PROFILES.openai.sampling(base), { temperature: 0.8, top_p: 1, presence_penalty: 0, frequency_penalty: 0 });
    assert.throws(() => SERVER_PROFILES.openai.sampling({ ...base, topK: 5 }), /no top_k or min_p/);
  });
});

describe("connectServer on a loopback vLLM double", () => {
  let engine: LlamaEngine;
  let server: LoopbackServer;
  before(async () => {
    engine = await LlamaEngine.load({ model: await tinyModelPath(), threads: 1, sequences: 2, contextSize: 256 });
    server = await startLoopbackServer({ engine, model: "tiny/model" });
  });
  after(async () => {
    await server.close();
    await engine.dispose();
  });

  it("detects the kind, takes the first model when none is named, and refuses an unknown one naming those served", async () => {
    const client = new OpenAIClient({ baseURL: server.baseURL });
    const info = await connectServer(client);
    assert.deepEqual([info.kind, info.model, info.served], ["vllm", "tiny/model", ["tiny/model"]]);
    assert.equal((await connectServer(client, { kind: "generic" })).kind, "generic");
    await assert.rejects(connectServer(client, { model: "tiny/modle" }), (e: unknown) => e instanceof InvalidOptionError && e.field === "model" && /serves: tiny\/model/.test(e.message));
  });

  it("fails at once, naming the URL and GET, when nothing listens; the error of a GET says GET", async () => {
    const closed = await startLoopbackServer({ engine });
    const url = closed.baseURL;
    await closed.close();
    const started = Date.now();
    const error = await connectServer(new OpenAIClient({ baseURL: url, maxRetries: 5 })).catch((e: unknown) => e);
    assert.ok(error instanceof ServerUnreachableError, String(error));
    assert.ok(error.message.includes(url) && /GET .*\/v1\/models failed after 1 attempt/.test(error.message), error.message);
    assert.ok(Date.now() - started < 2000, "no retries on first contact");
  });

  it("prints each retry of a spec's client, method and URL included", async () => {
    const lines: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => (lines.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      server.inject({ status: 503 });
      const { generator } = await createGenerator(`${server.baseURL}?model=tiny/model&retries=2`);
      assert.equal(generator.modelId, "tiny/model");
    } finally {
      process.stderr.write = write;
    }
    assert.equal(lines.length, 1, lines.join(""));
    assert.match(lines[0]!, /^ponder: GET http:\/\/127\.0\.0\.1:\d+\/v1\/models: HTTP 503 \(.*injected 503.*\); retry 1 of 2 in \d+\.\d s\n$/);
    const event: RetryEvent = { method: "POST", url: "http://h/v1/completions", attempt: 2, maxRetries: 3, reason: "network", status: null, detail: "connection failed (ECONNRESET)", delayMs: 1500 };
    const captured: string[] = [];
    process.stderr.write = ((chunk: string) => (captured.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      printRetry(event);
    } finally {
      process.stderr.write = write;
    }
    assert.equal(captured[0], "ponder: POST http://h/v1/completions: network (connection failed (ECONNRESET)); retry 2 of 3 in 1.5 s\n");
  });
});
