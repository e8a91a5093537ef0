import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ComputeMeter } from "./compute-meter.js";
import { addUsage, callUsage, totalUsage } from "./usage.js";

describe("usage", () => {
  it("counts FLOPs as 2 × parameters × tokens processed, cached prompt tokens excluded", () => {
    const u = callUsage("m", { parameters: 1000, promptTokens: 10, cachedPromptTokens: 90, completionTokens: 5, calls: 1 });
    assert.equal(u.m!.flops, 2 * 1000 * 15);
  });

  it("adds per model without changing its inputs", () => {
    const a = callUsage("m", { parameters: 1, completionTokens: 3 });
    const b = callUsage("v", { parameters: 1, promptTokens: 4 });
    const sum = addUsage(a, addUsage(a, b));
    assert.equal(sum.m!.completionTokens, 6);
    assert.equal(sum.v!.promptTokens, 4);
    assert.equal(a.m!.completionTokens, 3);
    assert.equal(totalUsage(sum).flops, 2 * (6 + 4));
  });
});

describe("ComputeMeter", () => {
  it("measures a model's wall time as the union of its overlapping calls", () => {
    const meter = new ComputeMeter();
    const u = callUsage("m", { parameters: 1, calls: 1 });
    meter.record(u, 0, 10);
    meter.record(u, 5, 15);
    meter.record(u, 20, 30);
    meter.record(callUsage("v", { parameters: 1, calls: 1 }), 0, 100);
    const snap = meter.snapshot();
    assert.equal(snap.m!.wallMs, 25);
    assert.equal(snap.m!.calls, 3);
    assert.equal(snap.v!.wallMs, 100);
  });
});
