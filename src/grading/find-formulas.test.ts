import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findFormulas } from "./find-formulas.js";

const inners = (text: string) => findFormulas(text).map((f) => f.inner);

describe("findFormulas", () => {
  it("finds inline and display formulas in order", () => {
    assert.deepEqual(inners("So $x = 1$ and \\(y = 2\\), then $$z = 3$$ and \\[w = 4\\]."), ["x = 1", "y = 2", "z = 3", "w = 4"]);
    assert.deepEqual(inners("It costs \\$5 and $x$ more"), ["x"]);
    assert.deepEqual(inners("\\[\n a \\\\ b \n\\]"), ["a \\\\ b"]);
  });

  it("keeps inline formulas on one line and leaves unclosed ones out", () => {
    assert.deepEqual(inners("$a\nb$"), []);
    assert.deepEqual(inners("\\( unclosed\n \\(x\\)"), ["x"]);
    assert.deepEqual(inners("$$ never closed"), []);
  });

  it("scans delimiters that never close in one pass", () => {
    const text = "\\(".repeat(50_000) + "\\[".repeat(50_000) + "$".repeat(1);
    assert.deepEqual(findFormulas(text), []);
    assert.equal(findFormulas("$1$ ".repeat(20_000)).length, 20_000);
  });
});
