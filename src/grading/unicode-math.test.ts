import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normalizeUnicodeMath } from "./unicode-math.js";

describe("normalizeUnicodeMath", () => {
  it("writes roots, powers, indices and vulgar fractions in LaTeX", () => {
    assert.equal(normalizeUnicodeMath("√3"), "\\sqrt{3}");
    assert.equal(normalizeUnicodeMath("2√12"), "2\\sqrt{12}");
    assert.equal(normalizeUnicodeMath("√(x+1)"), "\\sqrt(x+1)");
    assert.equal(normalizeUnicodeMath("∛8"), "\\sqrt[3]{8}");
    assert.equal(normalizeUnicodeMath("x²+y³"), "x^{2}+y^{3}");
    assert.equal(normalizeUnicodeMath("10⁻³"), "10^{-3}");
    assert.equal(normalizeUnicodeMath("a₁₂"), "a_{12}");
    assert.equal(normalizeUnicodeMath("2½"), "2\\frac{1}{2}");
    assert.equal(normalizeUnicodeMath("⅓"), "\\frac{1}{3}");
    assert.equal(normalizeUnicodeMath("3⁄4"), "3/4");
  });

  it("maps full-width and mathematical letters and digits to plain ones", () => {
    assert.equal(normalizeUnicodeMath("１２３"), "123");
    assert.equal(normalizeUnicodeMath("𝑥 + 𝐲 = 𝟑"), "x + y = 3");
  });

  it("leaves ASCII and other scripts as they are", () => {
    for (const text of ["\\frac{1}{2}", "x^2 + 1", "答案是 5", "l’équation", "café"]) assert.equal(normalizeUnicodeMath(text), text);
  });
});
