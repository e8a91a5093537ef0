import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runPonder } from "../../../test/run-cli.js";
import { embeddedModelCount, threadPlanFor } from "./load-models.js";

describe("loadModels' thread plan", () => {
  it("counts the models that run on the embedded engine", () => {
    assert.equal(embeddedModelCount({ policy: "policy-small", verifier: "prm", reviser: null }), 2);
    assert.equal(embeddedModelCount({ policy: "policy-small", verifier: "prm:models/prm.gguf?threads=2", reviser: "revision" }), 3);
    assert.equal(embeddedModelCount({ policy: "http://localhost:8000/v1?model=m", verifier: "prm-http:http://localhost:8001/v1?model=p", reviser: null }), 0);
    assert.equal(embeddedModelCount({ policy: "policy-small", verifier: "judge:http://h/v1?model=j", reviser: null }), 1);
    assert.equal(embeddedModelCount({ policy: "policy-small", verifier: "judge:policy-large", reviser: null }), 2);
    assert.equal(embeddedModelCount({ policy: "policy-small", verifier: "oracle", reviser: null }), 1);
    assert.equal(embeddedModelCount({ policy: "policy-small", verifier: "pooling:http://h/v1?model=q", reviser: null }), 1);
    assert.equal(embeddedModelCount({ policy: "policy-small", verifier: "likelihood", reviser: null }), 2);
    assert.equal(embeddedModelCount({ policy: "policy-small", verifier: "likelihood:policy-large", reviser: "revision" }), 3);
    assert.equal(embeddedModelCount({ policy: "policy-small", verifier: "self-certainty", reviser: null }), 1);
    assert.equal(embeddedModelCount({ policy: "http://h/v1?model=m", verifier: "self-certainty", reviser: null }), 1);
    assert.equal(embeddedModelCount({ policy: "policy-small", verifier: "self-certainty:policy-large", reviser: null }), 2);
    assert.equal(embeddedModelCount({ policy: "policy-small", verifier: "models/prm.gguf", reviser: null }), 2);
  });

  it("chooses threads per model from the cores for policy and verifier together", () => {
    assert.equal(threadPlanFor({ policy: "policy-small", verifier: "prm", reviser: null }, undefined, 2)!.perModel, 1);
    assert.equal(threadPlanFor({ policy: "policy-small", verifier: "prm", reviser: null }, undefined, 9)!.perModel, 4);
    assert.equal(threadPlanFor({ policy: "http://h/v1?model=m", verifier: null, reviser: null }, 4, 2), undefined);
    assert.match(threadPlanFor({ policy: "policy-small", verifier: "prm", reviser: null }, 2, 2)!.warning!, /oversubscribes/);
  });

  it("ponder solve prints the warning and still answers when --threads oversubscribes", async () => {
    const { code, stdout, stderr } = await runPonder(["solve", "--strategy", "majority", "--budget", "2", "--threads", "64", "--json", "Ann has 3 apples. Ann buys 4 more. How many apples does Ann have now?"]);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /warning: --threads 64 oversubscribes the CPU/);
    assert.ok(JSON.parse(stdout).answer !== undefined);
  });

  it("holds a model spec's own threads=N to the same safe team, with the warning", async () => {
    const { code, stdout, stderr } = await runPonder(["solve", "--strategy", "majority", "--budget", "2", "--policy", "models/policy-small.gguf?threads=64", "--json", "Ann has 3 apples. Ann buys 4 more. How many apples does Ann have now?"]);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /warning: models\/policy-small\.gguf\?threads=64 oversubscribes the CPU/);
    assert.ok(JSON.parse(stdout).answer !== undefined);
  });
});
