import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import OpenAI from "openai";
import { tinyModelPath } from "../../test/tiny-model.js";
import { LlamaEngine } from "../backends/llama/llama-engine.js";
import { LlamaGenerator } from "../backends/llama/llama-generator.js";
import { mathAnswerReader } from "../grading/math-answer-reader.js";
import { demoTemplate } from "../templates/templates.js";
import { LlamaNextTokenScorer } from "../verifiers/llama-next-token-scorer.js";
import { demoPrmFormat } from "../verifiers/token-reward-format.js";
import { TokenRewardVerifier } from "../verifiers/token-reward-verifier.js";
import { createServer, type PonderServer } from "./create-server.js";

// What users of optillm and its_hub expect of a test-time compute proxy: upstream models chosen per
// request, the budget as a body field or header, n > 1, and unknown fields reported, not dropped.
const messages = [{ role: "user" as const, content: "Ann has 3 apples. Ann buys 4 more apples. How many apples does Ann have now?" }];

interface Extended {
  model: string;
  choices: { index: number; message: { content: string } }[];
  usage: { generations: number; completion_tokens: number; ponder?: unknown };
  ponder: { strategy: string; budget: { generations: number }; ignored_fields?: string[]; choices?: { answer: string | null }[] };
}

describe("ponder serve's request conventions", () => {
  const engines: LlamaEngine[] = [];
  let server: PonderServer;
  let url: string;
  let client: OpenAI;
  const post = (body: object, headers: Record<string, string> = {}) =>
    fetch(`${url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

  before(async () => {
    const load = async (seed: number, modelId: string) => {
      const engine = await LlamaEngine.load({ model: await tinyModelPath({ arithmetic: true, seed }), threads: 1, sequences: 8, contextSize: 512, modelId });
      engines.push(engine);
      return engine;
    };
    const main = await load(3, "tiny-main");
    const other = await load(5, "tiny-other");
    const backends = {
      generator: new LlamaGenerator(main, demoTemplate),
      verifier: new TokenRewardVerifier({ scorer: new LlamaNextTokenScorer(main), format: demoPrmFormat }),
      answers: mathAnswerReader,
      upstreams: { "lab/other": new LlamaGenerator(other, demoTemplate) },
    };
    server = createServer({ backends, concurrency: 2, limits: { maxBudget: 8 } });
    ({ url } = await server.listen({ port: 0 }));
    client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "unused", maxRetries: 0 });
  });
  after(async () => {
    await server.close({ graceMs: 1000 });
    for (const engine of engines) await engine.dispose();
  });

  it("chooses the upstream policy per request, by model name or ponder.model, and lists it in /v1/models", async () => {
    const byName = (await client.chat.completions.create({ model: "ponder/majority:2/lab/other", messages, max_tokens: 16, seed: 1 })) as unknown as Extended & { usage: { ponder: Record<string, unknown> } };
    assert.equal(byName.model, "ponder/majority:2/lab/other");
    const byField = (await post({ model: "ponder/majority:2", messages, max_tokens: 16, seed: 1, ponder: { model: "lab/other" } }).then((r) => r.json())) as Extended;
    assert.equal(byField.model, "ponder/majority:2/lab/other");
    assert.equal(byField.choices[0]!.message.content, byName.choices[0]!.message.content, "the same upstream, seed and question give the same answer");
    const usedModels = JSON.stringify(byName.usage);
    assert.ok(usedModels.includes("tiny-other") && !usedModels.includes("tiny-main"), `the search ran on the upstream only: ${usedModels}`);
    const defaultRun = await client.chat.completions.create({ model: "ponder//lab/other", messages, max_tokens: 16 });
    assert.equal(defaultRun.model, "ponder/weighted-best-of-n:8/lab/other", "ponder//<upstream> keeps the default strategy and budget");

    await assert.rejects(client.chat.completions.create({ model: "ponder/majority:2/nope", messages }), (e: unknown) => e instanceof OpenAI.NotFoundError && /no upstream model "nope" on this server; it serves lab\/other/.test(e.message));
    const badField = await post({ model: "ponder", messages, ponder: { model: "nope" } });
    assert.equal(badField.status, 404);
    assert.equal(((await badField.json()) as { error: { param: string } }).error.param, "ponder.model");
    const models = (await client.models.list()).data.map((m) => m.id);
    assert.ok(models.includes("ponder/beam-search/lab/other") && models.includes("ponder/beam-search"), models.join(", "));
  });

  it("takes the budget from a top-level body field or the x-ponder-budget header, and refuses disagreement", async () => {
    const field = (await post({ model: "ponder/majority", messages, max_tokens: 16, budget: 3 }).then((r) => r.json())) as Extended;
    assert.equal(field.ponder.budget.generations, 3);
    assert.equal(field.usage.generations, 3);
    assert.equal(field.model, "ponder/majority:3");
    const header = (await post({ model: "ponder/majority", messages, max_tokens: 16 }, { "x-ponder-budget": "2" }).then((r) => r.json())) as Extended;
    assert.equal(header.usage.generations, 2);
    const conflict = await post({ model: "ponder/majority", messages, budget: 3, ponder: { budget: 4 } });
    assert.equal(conflict.status, 400);
    assert.match(((await conflict.json()) as { error: { message: string } }).error.message, /budget: 3 disagrees with ponder.budget: 4/);
    const badHeader = await post({ model: "ponder/majority", messages }, { "x-ponder-budget": "lots" });
    assert.equal(((await badHeader.json()) as { error: { param: string } }).error.param, "x-ponder-budget");
    const tooMuch = await post({ model: "ponder/majority", messages, budget: 9 });
    assert.equal(((await tooMuch.json()) as { error: { code: string; param: string } }).error.param, "budget");
  });

  it("answers n > 1 with n independent searches, the first as a lone request would get, usage summed", async () => {
    const one = (await client.chat.completions.create({ model: "ponder/majority:2", messages, max_tokens: 16, seed: 7 })) as unknown as Extended;
    const three = (await client.chat.completions.create({ model: "ponder/majority:2", messages, max_tokens: 16, seed: 7, n: 3 })) as unknown as Extended;
    assert.deepEqual(three.choices.map((c) => c.index), [0, 1, 2]);
    assert.equal(three.choices[0]!.message.content, one.choices[0]!.message.content);
    assert.equal(three.usage.generations, 6);
    assert.equal(three.ponder.choices?.length, 3);
    await assert.rejects(client.chat.completions.create({ model: "ponder/majority:4", messages, n: 3 }), (e: unknown) => e instanceof OpenAI.BadRequestError && e.param === "n" && e.code === "compute_cap_exceeded");
    await assert.rejects(client.chat.completions.create({ model: "ponder/majority:2", messages, n: 2, stream: true }), (e: unknown) => e instanceof OpenAI.BadRequestError && e.param === "n");
  });

  it("refuses unknown fields naming them, and reports OpenAI fields it accepts but ignores", async () => {
    const unknown = await post({ model: "ponder/majority:2", messages, bugdet: 4 });
    assert.equal(unknown.status, 400);
    const { error } = (await unknown.json()) as { error: { param: string; message: string } };
    assert.equal(error.param, "bugdet");
    assert.match(error.message, /bugdet: unknown field/);
    const ignored = await post({ model: "ponder/majority:2", messages, max_tokens: 16, user: "u-1", presence_penalty: 0.5, metadata: null });
    assert.equal(ignored.status, 200);
    assert.equal(ignored.headers.get("x-ponder-ignored-fields"), "user, presence_penalty");
    assert.deepEqual(((await ignored.json()) as Extended).ponder.ignored_fields, ["user", "presence_penalty"]);
  });

  it("answers an agent framework's request that carries tools in text, reporting the tools as ignored; refuses a forced tool call", async () => {
    const tools = [{ type: "function" as const, function: { name: "calculator", description: "adds numbers", parameters: { type: "object", properties: { a: { type: "number" } } } } }];
    const history = [{ role: "system" as const, content: "You are a helpful assistant." }, ...messages];
    const withTools = await client.chat.completions
      .create({ model: "ponder/majority:2", messages: history, tools, tool_choice: "auto", max_tokens: 16, seed: 1 })
      .withResponse();
    assert.equal(withTools.response.headers.get("x-ponder-ignored-fields"), "tools, tool_choice");
    const body = withTools.data as unknown as Extended & { choices: { message: { tool_calls?: unknown } }[] };
    assert.deepEqual(body.ponder.ignored_fields, ["tools", "tool_choice"]);
    assert.equal(body.choices[0]!.message.tool_calls, undefined);
    assert.equal(body.usage.generations, 2);
    for (const tool_choice of ["required", { type: "function", function: { name: "calculator" } }] as const) {
      await assert.rejects(
        client.chat.completions.create({ model: "ponder/majority:2", messages, tools, tool_choice }),
        (e: unknown) => e instanceof OpenAI.BadRequestError && e.param === "tool_choice" && /never calls a tool; accepted values are "auto" and "none"/.test(e.message),
      );
    }
  });
});
