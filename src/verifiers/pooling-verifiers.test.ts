import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startLoopbackServer, type LoopbackServer } from "../../test/loopback-openai-server.js";
import { tinyModelPath } from "../../test/tiny-model.js";
import { LlamaEngine } from "../backends/llama/llama-engine.js";
import { OpenAIClient } from "../backends/openai/openai-client.js";
import { PoolingResponseError } from "./errors/pooling-response-error.js";
import { PoolingOrmVerifier } from "./pooling-orm-verifier.js";
import { PoolingPrmVerifier, stepProbabilities } from "./pooling-prm-verifier.js";

const problem = { id: "p", question: "What is 2 + 5?" };
const steps = ["2 + 5 = 7", "The answer is 7"];
const pooling = { tag: " ки", positive: "+", negative: "-" };

describe("PoolingPrmVerifier against vLLM's pooling API, as each vLLM generation serves it", () => {
  let engine: LlamaEngine;
  const servers: Record<string, LoopbackServer> = {};
  before(async () => {
    engine = await LlamaEngine.load({ model: await tinyModelPath(), threads: 1, sequences: 4, contextSize: 512 });
    for (const version of ["v0.11", "v0.10", "v0.6"] as const) servers[version] = await startLoopbackServer({ engine, pooling: { ...pooling, version } });
  });
  after(async () => {
    for (const server of Object.values(servers)) await server.close();
    await engine.dispose();
  });
  const verifier = (version: string, options: Partial<ConstructorParameters<typeof PoolingPrmVerifier>[0]> = {}) =>
    new PoolingPrmVerifier({ client: new OpenAIClient({ baseURL: servers[version]!.baseURL }), model: "loopback", stepTag: " ки", system: "", ...options });

  it("finds the route and request each generation takes, and remembers it", async () => {
    const v11 = await verifier("v0.11").score([{ problem, steps }]);
    for (const [version, expected] of [["v0.11", ["/pooling"]], ["v0.10", ["/pooling", "/pooling"]], ["v0.6", ["/pooling", "/v1/embeddings"]]] as const) {
      const server = servers[version]!;
      const prm = verifier(version);
      const before = server.requests.length;
      const { stepScores } = await prm.score([{ problem, steps }]);
      assert.deepEqual(server.requests.slice(before).map((r) => r.path), expected, version);
      if (version === "v0.6") {
        // Embeddings take text only: the conversation goes in Qwen's ChatML layout, laid out here.
        assert.deepEqual(server.requests.at(-1)!.body!.input, [`<|im_start|>user\n${problem.question}<|im_end|>\n<|im_start|>assistant\n2 + 5 = 7 киThe answer is 7 ки<|im_end|>\n`]);
        assert.ok(stepScores[0]!.length === 2 && stepScores[0]!.every((s) => s > 0 && s < 1));
      } else stepScores[0]!.forEach((s, i) => assert.ok(Math.abs(s - v11.stepScores[0]![i]!) < 1e-4, `${version} scores as the newest does`));
      await prm.score([{ problem: { ...problem, id: "other" }, steps }]);
      assert.equal(server.requests.length, before + expected.length + 1, `${version}: the detected route is used directly afterwards`);
    }
    const sent = servers["v0.11"]!.requests[0]!.body!;
    assert.equal(sent.task, "token_classify");
    assert.deepEqual(sent.messages, [{ role: "user", content: problem.question }, { role: "assistant", content: "2 + 5 = 7 киThe answer is 7 ки" }]);
  });

  it("sends only the steps up to the last unscored one, and scores a grown beam's new step only", async () => {
    const prm = verifier("v0.11");
    const first = await prm.score([{ problem: { ...problem, id: "grow" }, steps: steps.slice(0, 1) }]);
    const second = await prm.score([{ problem: { ...problem, id: "grow" }, steps }]);
    assert.equal(second.stepScores[0]![0], first.stepScores[0]![0]);
    assert.equal(second.usage.loopback!.calls, 1);
  });

  it("fails with the counts when the step tag is not what the model scores", async () => {
    await assert.rejects(verifier("v0.11", { stepTag: "<extra_0>" }).score([{ problem, steps }]), (e: unknown) => e instanceof PoolingResponseError && /2 step\(s\) were sent but the model scored 0/.test(e.message));
  });

  it("reads step probabilities from pairs, flattened pairs or single probabilities, and rejects others", () => {
    assert.deepEqual(stepProbabilities([[0.9, 0.1], [0.2, 0.8]], 2, 1, "u"), [0.1, 0.8]);
    assert.deepEqual(stepProbabilities([0.9, 0.1, 0.2, 0.8], 2, 1, "u"), [0.1, 0.8]);
    assert.deepEqual(stepProbabilities([0.3, 0.6], 2, 1, "u"), [0.3, 0.6]);
    assert.throws(() => stepProbabilities([0.3, 0.6, 0.1], 2, 1, "u"), PoolingResponseError);
    assert.throws(() => stepProbabilities([[2.5, -1], [3, 1]], 2, 1, "u"), /not probabilities/);
  });

  it("PoolingOrmVerifier scores whole solutions through /classify or /pooling alike, in one request", async () => {
    const client = new OpenAIClient({ baseURL: servers["v0.11"]!.baseURL });
    const requests = [{ problem, steps }, { problem, steps: ["2 + 5 = 8", "The answer is 8"] }];
    const before = servers["v0.11"]!.requests.length;
    const classify = await new PoolingOrmVerifier({ client, model: "loopback" }).score(requests);
    const pooled = await new PoolingOrmVerifier({ client, model: "loopback", route: "pooling" }).score(requests);
    assert.deepEqual(servers["v0.11"]!.requests.slice(before).map((r) => r.path), ["/classify", "/pooling"]);
    pooled.stepScores.forEach(([s], i) => assert.ok(Math.abs(s! - classify.stepScores[i]![0]!) < 1e-4));
    assert.equal(classify.stepScores.length, 2);
    assert.equal(classify.usage.loopback!.calls, 2);
    assert.equal((servers["v0.11"]!.requests[before]!.body!.input as string[])[0], `${problem.question}\n\n2 + 5 = 7\nThe answer is 7`);
  });
});
