import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareAnswers } from "./answers-equal.js";
import { rational } from "./rational.js";
import { add, divide, multiply, power } from "./value-arithmetic.js";
import { q, type Value } from "./values.js";

type Case = [gold: string, pred: string, equal: boolean | null];

function check(cases: Case[]): void {
  for (const [gold, pred, expected] of cases) {
    const result = compareAnswers(gold, pred, { cas: false });
    assert.equal(result.equal, expected, `${gold.slice(0, 40)} vs ${pred.slice(0, 40)}: ${result.reason}`);
  }
}

const big = (digits: string) => q(rational(BigInt(digits)));
const N = "1" + "7".repeat(308);

describe("numbers beyond double range", () => {
  it("keeps integers and fractions exact at any size the caps allow", () => {
    check([
      [N, N, true],
      [N, (BigInt(N) * 2n).toString(), false],
      ["10^{400}", "10^{401}", false],
      ["10^{400}", "10 \\cdot 10^{399}", true],
      ["10^{1000}", `1${"0".repeat(1000)}`, true],
      ["10^{1000}", `1${"0".repeat(999)}1`, false],
      ["\\frac{1}{3^{500}}", "3^{-500}", true],
      ["\\frac{1}{3^{500}}", "3^{-501}", false],
      ["1000!", "1000 \\cdot 999!", true],
      ["2^{60000}", "2^{60001}", false],
    ]);
  });

  it("tells values beyond the exact range apart by magnitude, and says unknown when magnitudes agree", () => {
    check([
      ["10^{-400}", "10^{-401}", false],
      ["10^{-400}", "0", false],
      ["5000!", "4999!", false],
      ["e^{1000}", "e^{1001}", false],
      ["2^{70000}", "2^{70001}", false],
      ["2^{70000}", "-2^{70000}", false],
      ["2^{70000}", "2 \\cdot 2^{69999}", null],
      ["10^{10^{10}}", "10 \\cdot 10^{10^{10} - 1}", null],
    ]);
  });

  it("compares terms beyond range that both sides share as one symbol", () => {
    check([
      ["10^{10^{10}}", "10^{10^{10}}+1", false],
      ["10^{10^{10}}+1", "1+10^{10^{10}}", true],
      ["2 \\cdot 9^{9^{9}}", "9^{9^{9}} + 9^{9^{9}}", true],
      ["9^{9^{9}}", "9^{9^{9}} - 1", false],
    ]);
  });

  it("never lets an overflow make two values one shared Infinity", () => {
    const huge = (x: Value) => (x.t === "big" ? x.log10 : x.t);
    assert.equal(huge(power(big("10"), big("400"))), "q");
    assert.equal(huge(power(big("10"), big("500000"))), 500000);
    assert.equal(huge(multiply(power(big("10"), big("500000")), power(big("10"), big("500000")))), 1000000);
    assert.equal(divide(big("1"), big("0")).t, "f");
    assert.deepEqual(add(power(big("10"), big("500000")), multiply(big("-1"), power(big("10"), big("500000")))), { t: "u" });
  });
});
