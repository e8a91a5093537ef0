import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { llamaServerSkipReason, shippedModel, startLlamaServer, type LlamaServer } from "../../../test/llama-server.js";
import type { Problem } from "../../core/problem.js";
import type { ReplicaUsage, Usage } from "../../core/usage.js";
import { generateSyntheticProblem } from "../../datasets/synthetic/index.js";
import { syntheticAnswerReader } from "../../datasets/synthetic/synthetic-answer-reader.js";
import { beamSearch } from "../../strategies/beam-search.js";
import type { StrategyResult } from "../../strategies/strategy.js";
import { createVerifier, type CreatedVerifier } from "../../verifiers/create-verifier.js";
import { createGenerator, type CreatedGenerator } from "../create-generator.js";
import { rendezvousOrder } from "./replica-route.js";
import type { ReplicaEvent } from "./replica-set.js";
import type { ReplicaSetGenerator } from "./replica-set-generator.js";
import { createServer } from "../../server/create-server.js";

// Replica sets against two real llama-server replicas of the demo policy on loopback.

const pool: Problem[] = Array.from({ length: 16 }, (_, index) => generateSyntheticProblem({ level: 3 + (index % 2), seed: 77, index }));
/** The problems of `pool` that affinity sends to `url` among `urls` (which depends on the servers' ports). */
const pinned = (urls: string[], url: string, from = pool) => from.filter((p) => rendezvousOrder(urls.map((u) => ({ url: u })), p.id)[0]!.url === url);
let problems: Problem[] = [];
const options = { budget: { generations: 4 }, beamWidth: 2, seed: 5, maxSteps: 10, temperature: 0.8 };
const spec = (urls: string[], extra = "") => `${urls.join(",")}?model=policy-small&template=ponder-demo${extra}`;

function replicasOf(usage: Usage): Record<string, ReplicaUsage> {
  return usage["policy-small"]?.replicas ?? {};
}

/**
 * What a search decided, without where or how fast it ran. The PRM scores are the embedded PRM's,
 * which moves by ~1e-6 with how its calls happen to be batched: compared to 1e-4.
 */
function outcome(r: StrategyResult) {
  return { answer: r.answer, candidates: r.candidates.map((c) => ({ steps: c.steps, score: c.score ?? Number.NaN })) };
}

function assertSameOutcomes(actual: StrategyResult[], expected: StrategyResult[], message: string): void {
  const [a, e] = [actual.map(outcome), expected.map(outcome)];
  assert.deepEqual(a.map((o) => [o.answer, o.candidates.map((c) => c.steps)]), e.map((o) => [o.answer, o.candidates.map((c) => c.steps)]), message);
  a.forEach((o, i) => o.candidates.forEach((c, j) => assert.ok(Math.abs(c.score - e[i]!.candidates[j]!.score) < 1e-4, `${message}: score ${c.score} vs ${e[i]!.candidates[j]!.score}`)));
}

describe("replica sets on llama-server", { skip: llamaServerSkipReason() }, () => {
  let servers: LlamaServer[];
  let prm: CreatedVerifier;
  let single: StrategyResult[];
  const run = async (policy: CreatedGenerator) => Promise.all(problems.map((p) => beamSearch(p, { generator: policy.generator, verifier: prm.verifier, answers: syntheticAnswerReader }, options)));
  before(async () => {
    servers = await Promise.all([0, 1].map(() => startLlamaServer({ model: shippedModel("policy-small"), slots: 4, contextPerSlot: 512 })));
    const urls = servers.map((s) => s.baseURL);
    problems = [...pinned(urls, urls[0]!).slice(0, 2), ...pinned(urls, urls[1]!).slice(0, 2)];
    prm = await createVerifier("prm", { threads: 1 });
    const one = await createGenerator(spec([servers[0]!.baseURL]));
    single = await run(one);
  });
  after(async () => {
    await prm?.dispose();
    await Promise.all(servers.map((s) => s.close()));
  });

  it("pins each problem's search tree to one replica, gives the single replica's results, and counts per replica what each server's /metrics counts", async () => {
    const before = await Promise.all(servers.map((s) => s.metrics()));
    const policy = await createGenerator(spec(servers.map((s) => s.baseURL)));
    const results = await run(policy);
    await policy.dispose();
    assertSameOutcomes(results, single, "the samples are the same whichever replica draws them");
    for (const r of results) assert.equal(Object.keys(replicasOf(r.usage)).length, 1, "one problem, one replica");
    const used = new Set(results.flatMap((r) => Object.keys(replicasOf(r.usage))));
    assert.equal(used.size, 2, "4 problems spread over both replicas");
    const afterMetrics = await Promise.all(servers.map((s) => s.metrics()));
    servers.forEach((server, i) => {
      const mine = results.map((r) => replicasOf(r.usage)[server.baseURL]).filter((x) => x !== undefined);
      const sum = (f: keyof ReplicaUsage) => mine.reduce((a, x) => a + x[f], 0);
      assert.equal(sum("promptTokens"), afterMetrics[i]!.prompt_tokens_total! - before[i]!.prompt_tokens_total!, `${server.baseURL}: evaluated prompt tokens = /metrics`);
      assert.equal(sum("completionTokens"), afterMetrics[i]!.tokens_predicted_total! - before[i]!.tokens_predicted_total!, `${server.baseURL}: generated tokens = /metrics`);
    });
  });

  it("round-robin spreads a problem's calls over both replicas, with the same results", async () => {
    const policy = await createGenerator(spec(servers.map((s) => s.baseURL), "&route=round-robin"));
    const results = await run(policy);
    await policy.dispose();
    assertSameOutcomes(results, single, "the same samples as on one replica");
    const spread = results.filter((r) => Object.keys(replicasOf(r.usage)).length === 2).length;
    assert.ok(spread >= 2, `most problems' calls went to both replicas (${spread} of ${results.length})`);
  });

  it("a replica killed mid-run: its problems move to the other, nothing is lost or repeated, the results are the undisturbed run's", async () => {
    const events: ReplicaEvent[] = [];
    // A victim that serves some of the problems (affinity depends on its port); a few tries at most.
    let victim = await startLlamaServer({ model: shippedModel("policy-small"), slots: 4, contextPerSlot: 512 });
    const pinnedToVictim = () => pinned([servers[0]!.baseURL, victim.baseURL], victim.baseURL, problems).length;
    for (let i = 0; i < 5 && pinnedToVictim() === 0; i++) {
      await victim.close();
      victim = await startLlamaServer({ model: shippedModel("policy-small"), slots: 4, contextPerSlot: 512 });
    }
    assert.ok(pinnedToVictim() > 0);
    let sent = 0;
    const fetch: typeof globalThis.fetch = (input, init) => {
      // Kill the replica (SIGKILL, no goodbye) once it has answered a few step requests.
      if (String(input).startsWith(victim.rootURL) && String(input).endsWith("/completion") && ++sent === 3) victim.process.kill("SIGKILL");
      return globalThis.fetch(input, init);
    };
    const policy = await createGenerator(spec([servers[0]!.baseURL, victim.baseURL], "&probe=200"), { fetch, onReplicaEvent: (e) => events.push(e) });
    const results = await run(policy);
    assertSameOutcomes(results, single, "the summary of the run equals the undisturbed one");
    const failures = results.reduce((a, r) => a + (replicasOf(r.usage)[victim.baseURL]?.failures ?? 0), 0);
    assert.ok(sent >= 3 && failures >= 1, `the victim was killed while in use (${sent} requests, ${failures} failed over)`);
    assert.deepEqual(events.map((e) => [e.type, e.url, e.up]), [["taken-out", victim.baseURL, 1]]);
    const set = (policy.generator as ReplicaSetGenerator).set;
    assert.match(set.replicas[1]!.lastFailure ?? "", /127\.0\.0\.1/, "why it is out names the replica");
    await policy.dispose();
    await victim.close();
  });

  it("ponder serve on the replica set: each question's search on one replica, the usage per replica in the response", async () => {
    const policy = await createGenerator(spec(servers.map((s) => s.baseURL)));
    const server = createServer({ backends: { generator: policy.generator, verifier: prm.verifier, answers: syntheticAnswerReader }, concurrency: 4 });
    const { url } = await server.listen({ port: 0 });
    try {
      const answers = await Promise.all(
        problems.map(async (p) => {
          const response = await fetch(`${url}/v1/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "ponder/beam-search:4", prompt: p.question, seed: 5 }) });
          assert.equal(response.status, 200);
          return (await response.json()) as { usage: { models: Record<string, { calls: number; replicas?: Record<string, { calls: number }> }> } };
        }),
      );
      const used = answers.map((a) => Object.keys(a.usage.models["policy-small"]!.replicas ?? {}));
      for (const u of used) assert.equal(u.length, 1, "one question, one replica");
      for (const a of answers) {
        const m = a.usage.models["policy-small"]!;
        assert.equal(Object.values(m.replicas!)[0]!.calls, m.calls);
      }
    } finally {
      await server.close({ graceMs: 1000 });
      await policy.dispose();
    }
  });

  it("a replica down at the start is probed and put back when it answers; then its problems return to it", async () => {
    let late = await startLlamaServer({ model: shippedModel("policy-small"), slots: 4, contextPerSlot: 512 });
    for (let i = 0; i < 5 && pinned([servers[0]!.baseURL, late.baseURL], late.baseURL, problems).length === 0; i++) {
      await late.close();
      late = await startLlamaServer({ model: shippedModel("policy-small"), slots: 4, contextPerSlot: 512 });
    }
    const port = Number(new URL(late.rootURL).port);
    await late.close();
    const events: ReplicaEvent[] = [];
    const policy = await createGenerator(spec([servers[0]!.baseURL, late.baseURL], "&probe=100"), { onReplicaEvent: (e) => events.push(e) });
    const set = (policy.generator as ReplicaSetGenerator).set;
    assert.equal(set.upCount, 1, "it starts with the replica that answers");
    const first = await run(policy);
    for (const r of first) assert.deepEqual(Object.keys(replicasOf(r.usage)), [servers[0]!.baseURL]);
    const restarted = await startLlamaServer({ model: shippedModel("policy-small"), slots: 4, contextPerSlot: 512, port });
    try {
      await set.waitForChange(10_000);
      assert.equal(set.upCount, 2);
      assert.deepEqual(events.map((e) => [e.type, e.url]), [["taken-out", late.baseURL], ["put-back", late.baseURL]]);
      const again = await run(policy);
      assertSameOutcomes(again, single, "the same samples as on one replica");
      assert.ok(again.some((r) => Object.keys(replicasOf(r.usage))[0] === late.baseURL), "the returned replica serves its problems again");
    } finally {
      await policy.dispose();
      await restarted.close();
    }
  });
});
