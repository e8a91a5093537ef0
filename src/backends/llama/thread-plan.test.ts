import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planThreads, safeThreadsPerModel, warnIfOversubscribed } from "./thread-plan.js";

describe("planThreads: llama.cpp threads for all embedded models together", () => {
  it("on 2 cores gives policy and verifier one thread each, both cores in all, and the policy a one-thread context per core", () => {
    assert.deepEqual(planThreads({ cores: 2, models: 2 }), { perModel: 1, total: 2, cores: 2, policyContexts: 2 });
  });

  it("keeps a core for the JavaScript thread and shares the rest evenly", () => {
    assert.equal(planThreads({ cores: 16, models: 2 }).perModel, 7);
    assert.equal(planThreads({ cores: 16, models: 3 }).perModel, 5);
    assert.equal(planThreads({ cores: 8, models: 1 }).perModel, 7);
    assert.equal(planThreads({ cores: 2, models: 1 }).perModel, 1);
  });

  it("never gives a model fewer than one thread, and never runs more threads than cores in all", () => {
    for (const cores of [1, 2, 3, 4, 8, 16, 64]) {
      for (const models of [1, 2, 3, 5]) {
        for (const requested of [undefined, 1, 2, 3, 4, 8, 32, 128]) {
          const plan = planThreads({ cores, models, requested });
          assert.ok(plan.perModel >= 1, `${cores} cores, ${models} models, ${requested}`);
          assert.ok(plan.total <= cores, `${cores} cores, ${models} models, ${requested}: total ${plan.total}`);
          // A team bigger than its share beside the JavaScript thread is what collapses.
          if (plan.perModel > 1) assert.ok(plan.perModel * models <= cores - 1);
        }
      }
    }
  });

  it("keeps a request that fits, without a warning", () => {
    const plan = planThreads({ cores: 16, models: 2, requested: 4 });
    assert.deepEqual(plan, { perModel: 4, total: 8, cores: 16, policyContexts: 1 });
    assert.equal(planThreads({ cores: 2, models: 2, requested: 1 }).warning, undefined);
  });

  it("lowers a request that oversubscribes the cores, and says so with the numbers", () => {
    for (const requested of [2, 3, 4]) {
      const plan = planThreads({ cores: 2, models: 2, requested });
      assert.equal(plan.perModel, 1);
      assert.equal(plan.total, 2);
      assert.match(plan.warning!, new RegExp(`--threads ${requested} oversubscribes`));
      assert.match(plan.warning!, new RegExp(`for each of 2 models \\(${requested * 2}\\) on 2 cores`));
      assert.match(plan.warning!, /using 1 per model/);
    }
    assert.match(planThreads({ cores: 4, models: 1, requested: 4 }).warning!, /4 llama\.cpp threads on 4 cores.*using 3 per model/);
  });

  it("rejects impossible inputs naming them", () => {
    assert.throws(() => planThreads({ cores: 0, models: 1 }), /cores/);
    assert.throws(() => planThreads({ cores: 2, models: 0 }), /models/);
    assert.throws(() => planThreads({ cores: 2, models: 1, requested: 0 }), /requested/);
    assert.throws(() => planThreads({ cores: 2, models: 1, requested: 1.5 }), /requested/);
  });

  it("safeThreadsPerModel is the cap the plan applies", () => {
    assert.equal(safeThreadsPerModel(1, 1), 1);
    assert.equal(safeThreadsPerModel(3, 2), 1);
    assert.equal(safeThreadsPerModel(5, 2), 2);
  });
});

describe("warnIfOversubscribed: one model asking for more threads than cores", () => {
  it("warns once per process with a code, and only above the cores", async () => {
    const seen: Error[] = [];
    const listener = (w: Error) => seen.push(w);
    process.on("warning", listener);
    try {
      assert.equal(warnIfOversubscribed(2, 2), false);
      assert.equal(warnIfOversubscribed(3, 2), true);
      assert.equal(warnIfOversubscribed(8, 2), true);
      await new Promise((resolve) => setImmediate(resolve));
      const ours = seen.filter((w) => (w as Error & { code?: string }).code === "PONDER_THREADS_OVERSUBSCRIBED");
      assert.equal(ours.length, 1);
      assert.match(ours[0]!.message, /threads 3 > 2 available cores: lowered to 2/);
    } finally {
      process.off("warning", listener);
    }
  });
});
