import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import { loadSynthetic, parseLevels } from "./load-synthetic.js";

describe("loadSynthetic", () => {
  it("gives the same problems for the same seed and other problems for another seed", () => {
    const a = loadSynthetic({ count: 40, seed: 7 });
    const b = loadSynthetic({ count: 40, seed: 7 });
    const c = loadSynthetic({ count: 40, seed: 8 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.map((p) => p.question), c.map((p) => p.question));
  });

  it("spreads problems over the levels in turn, with a level and a unique deterministic id on each", () => {
    const problems = loadSynthetic({ levels: "2-4", count: 9, seed: 0 });
    assert.deepEqual(problems.map((p) => p.level), [2, 3, 4, 2, 3, 4, 2, 3, 4]);
    assert.equal(new Set(problems.map((p) => p.id)).size, 9);
    assert.equal(problems[4]!.id, "synthetic-0-L3-1");
  });

  it("extends a smaller count: problem i does not depend on how many are asked for", () => {
    assert.deepEqual(loadSynthetic({ count: 30, seed: 3 }).slice(0, 10), loadSynthetic({ count: 10, seed: 3 }));
  });

  it("has one operation per level, so higher levels are longer", () => {
    for (const p of loadSynthetic({ count: 100, seed: 1 })) assert.equal(p.meta.steps.length, p.level);
    const length = (level: number) => loadSynthetic({ levels: [level], count: 20, seed: 1 }).reduce((sum, p) => sum + p.question.length, 0);
    assert.ok(length(1) < length(5) && length(5) < length(10));
  });

  it("rejects bad options naming the field and the accepted values", () => {
    assert.throws(() => loadSynthetic({ levels: [0] }), (e: unknown) => e instanceof InvalidOptionError && e.field === "levels" && /1 to 20/.test(e.message));
    assert.throws(() => loadSynthetic({ count: 0 }), (e: unknown) => e instanceof InvalidOptionError && e.field === "count");
    assert.throws(() => loadSynthetic({ seed: -1 }), (e: unknown) => e instanceof InvalidOptionError && e.field === "seed");
    assert.throws(() => loadSynthetic({ levels: "easy" }), (e: unknown) => e instanceof InvalidOptionError && /"1-5"/.test(e.message));
  });
});

describe("parseLevels", () => {
  it("reads single levels, ranges and lists", () => {
    assert.deepEqual(parseLevels("3"), [3]);
    assert.deepEqual(parseLevels("1-4"), [1, 2, 3, 4]);
    assert.deepEqual(parseLevels("1,3, 8-9"), [1, 3, 8, 9]);
  });
});
