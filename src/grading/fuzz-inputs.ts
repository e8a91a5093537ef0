import { createRng, deriveSeed } from "../core/rng.js";
import type { ExtractFrom } from "./grade-pair.js";

/** One generated grading input: what a model or a user might send, at its worst. */
export interface FuzzInput {
  family: string;
  gold: string;
  pred: string;
  from: ExtractFrom;
}

type Rng = () => number;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

/** Huge exponents, factorials and towers: values no double holds and no exact number should be built for. */
function hugeNumber(rng: Rng): string {
  const n = () => String(int(rng, 2, 12));
  const big = () => String(10 ** int(rng, 3, 9));
  return pick(rng, [
    () => `10^{${big()}}`,
    () => `${n()}^{${n()}^{${n()}^{${n()}}}}`,
    () => `(${big()})!`,
    () => `\\binom{${big()}}{${int(rng, 2, 9000)}}`,
    () => `x^{${big()}} + 1`,
    () => `e^{${big()}}`,
    () => `\\sqrt[${big()}]{2}`,
    () => `2^{${int(rng, 60_000, 2_000_000)}} - 2^{${int(rng, 60_000, 2_000_000)}}`,
    () => `\\frac{1}{3^{${int(rng, 1000, 100_000)}}}`,
    () => `${"9".repeat(int(rng, 300, 1900))}`,
    () => `(10^{${big()}}+1)^{${big()}}`,
    () => `\\lfloor 10^{${big()}} / 7 \\rfloor`,
  ])();
}

/** Deep nesting of fractions, roots, brackets, boxes and sets. */
function deepNesting(rng: Rng): string {
  const depth = int(rng, 20, 3000);
  return pick(rng, [
    () => "\\frac{1}{".repeat(depth) + "x" + "}".repeat(depth),
    () => "(".repeat(depth) + "x+1" + ")".repeat(depth),
    () => "\\sqrt{".repeat(depth) + "2" + "}".repeat(depth),
    () => "\\boxed{".repeat(depth) + "5" + "}".repeat(depth),
    () => "\\{".repeat(depth) + "1" + "\\}".repeat(depth),
    () => "{".repeat(depth) + "1",
    () => "x^{".repeat(depth) + "2" + "}".repeat(depth),
    () => "\\left(".repeat(depth) + "1" + "\\right)".repeat(depth),
    () => "-".repeat(depth) + "1",
    () => "f(".repeat(depth) + "x" + ")".repeat(depth),
  ])();
}

/** Unicode mathematics, other scripts, emoji and combining marks. */
function unicode(rng: Rng): string {
  const pieces = ["√", "²", "³", "½", "⅓", "𝑥", "𝐲", "１２３", "π", "∞", "≤", "≥", "×", "÷", "−", "∛", "⁻¹", "₁", "答案", "é", "\u0301", "😀", "\u202e", "ℝ", "∈", "∪", "∅", "…", "±", "°", "‰", "⁄", "ﬁ", "\u0000", "\uFFFD"];
  const n = int(rng, 1, 60);
  let s = "";
  for (let i = 0; i < n; i++) s += rng() < 0.6 ? pick(rng, pieces) : String(int(rng, 0, 99));
  return s;
}

/** Texts of about 100,000 characters: long numbers, long sums, unclosed delimiters, formula soup, prose. */
function longText(rng: Rng): string {
  const size = int(rng, 60_000, 110_000);
  const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  return pick(rng, [
    () => fill("7"),
    () => fill("1+"),
    () => fill("\\("),
    () => fill("\\["),
    () => fill("$"),
    () => fill("\\boxed{"),
    () => fill("$1$ and "),
    () => fill("The answer is 5. "),
    () => fill("x = 3, "),
    () => fill("{"),
    () => fill("1,"),
    () => fill("\\frac"),
    () => fill("a"),
    () => fill("$$x$$\\boxed{1}"),
    () => fill("So the total is 12 apples in 3 baskets.\n"),
    () => fill("\\text{"),
    () => fill("$\\\\$"),
    () => "\\boxed{" + fill("1 + ") + "}",
  ])();
}

/** Random LaTeX soup from answer-like tokens. */
function latexSoup(rng: Rng): string {
  const tokens = ["\\frac", "{", "}", "\\sqrt", "[", "]", "(", ")", "^", "_", "x", "y", "n", "k", "\\pi", "i", "e", "1", "2", "10", "0", "-", "+", "=", "<", ",", "\\le", "\\infty", "\\cup", "\\boxed", "\\text{ and }", "\\lfloor", "\\rfloor", "!", "\\binom", "%", "^\\circ", "\\begin{pmatrix}", "&", "\\\\", "\\end{pmatrix}", "$", "\\{", "\\}", "|", ":", ".", " "];
  const n = int(rng, 1, 200);
  let s = "";
  for (let i = 0; i < n; i++) s += pick(rng, tokens);
  return s;
}

const FAMILIES = { hugeNumber, deepNesting, unicode, longText, latexSoup } as const;

/** `count` seeded inputs, families in turn; each side is either generated or a plain answer, sometimes inside a solution. */
export function* fuzzInputs(count: number, seed: number): Generator<FuzzInput> {
  const names = Object.keys(FAMILIES) as (keyof typeof FAMILIES)[];
  for (let k = 0; k < count; k++) {
    const rng = createRng(deriveSeed(seed, "fuzz", k));
    const family = names[k % names.length]!;
    const make = FAMILIES[family];
    const plain = pick(rng, ["x+1", "5", "\\frac{1}{2}", "(1, 2)", "10^{400}", "[0, 1)", "x = 2", "\\sqrt{-1}"]);
    const gold = rng() < 0.5 ? make(rng) : plain;
    let pred = rng() < 0.7 ? make(rng) : plain;
    if (rng() < 0.3) pred = `We compute step by step. ${pred}\nTherefore the final answer is $\\boxed{${pred}}$.`;
    yield { family, gold, pred, from: pick(rng, ["both", "pred", "none"] as const) };
  }
}
