import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CasWorker } from "./cas-worker.js";

describe("CasWorker", () => {
  it("answers in a worker, cuts off a job past its time, and answers the next one from a fresh worker", () => {
    const cas = new CasWorker();
    assert.equal(cas.available(), true);
    // Loading the engine takes seconds: the first job waits for it.
    assert.equal(cas.run(["Sqrt", 8], ["Multiply", 2, ["Sqrt", 2]], 60_000), true);
    assert.equal(cas.run(["Sqrt", 8], 3, 60_000), false);
    // The engine's simplifier runs for about a minute on x + 1 against 10^500000.
    const started = performance.now();
    assert.equal(cas.run(["Add", "x", 1], ["Power", 10, 500000], 300), "timeout");
    assert.ok(performance.now() - started < 5_000, "the job was cut off rather than waited for");
    assert.equal(cas.run(["Sqrt", 18], ["Multiply", 3, ["Sqrt", 2]], 60_000), true);
  });
});
