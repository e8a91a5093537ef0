import { expandPlusMinus } from "./compare-answers.js";
import { Deadline } from "./deadline.js";
import { evaluate, freeVariables, type Value } from "./evaluate-expression.js";
import type { Answer, MathNode, RelationOp } from "./math-node.js";
import { normalizeAnswerText } from "./normalize-answer-text.js";
import { parseAnswerCached } from "./parse-answer-cached.js";
import { randomPoints } from "./random-points.js";
import { statedValue } from "./stated-value.js";
import { approximateRational, formatQ } from "./rational.js";

/** Time one canonical form may take; past it the normalised text is the key. */
const LIMIT_MS = 100;

/**
 * The key by which votes group answers: answers with the same key are the same answer
 * (`0.5`, `\frac12` and `1/2` are all "1/2"; `x^2-4` and `(x-2)(x+2)` share a fingerprint).
 * Deterministic, fast, never throws. Equal answers in unusual forms may still get different
 * keys (`50%` and `0.5`); `answersEqual` is the finer test.
 */
export function canonicalAnswer(answer: string): string {
  try {
    const readings = parseAnswerCached(answer);
    if (readings.length > 0) return keyOf(readings[0]!, new Deadline(LIMIT_MS));
  } catch {
    // Fall through to the textual key.
  }
  return textKey(answer);
}

function textKey(answer: string): string {
  return `text:${normalizeAnswerText(String(answer)).replace(/\s+/g, "").toLowerCase()}`;
}

function keyOf(answer: Answer, deadline: Deadline): string {
  deadline.checkNow();
  const a = expandPlusMinus(answer);
  switch (a.kind) {
    case "expr":
      return exprKey(a.node, deadline);
    case "tuple":
      return `(${a.items.map((i) => keyOf(i, deadline)).join(",")})`;
    case "list":
    case "set":
      return `{${a.items.map((i) => keyOf(i, deadline)).sort().join(",")}}`;
    case "interval":
      return `${a.loClosed ? "[" : "("}${exprKey(a.lo, deadline)},${exprKey(a.hi, deadline)}${a.hiClosed ? "]" : ")"}`;
    case "union":
      return a.parts.map((p) => keyOf(p, deadline)).sort().join("∪");
    case "relation":
      return relationKey(a, deadline);
    case "choice":
      return a.letter;
    case "text":
      return `text:${a.text.replace(/[^a-z0-9]+/g, "")}`;
  }
}

function relationKey(r: Extract<Answer, { kind: "relation" }>, deadline: Deadline): string {
  const stated = statedValue(r, "pred");
  if (stated) return keyOf(stated, deadline);
  const flip: Partial<Record<RelationOp, RelationOp>> = { ">": "<", "≥": "≤" };
  const oriented = r.ops.every((op) => flip[op]) ? { sides: [...r.sides].reverse(), ops: r.ops.map((op) => flip[op]!).reverse() } : r;
  return oriented.sides.map((s, i) => (i === 0 ? "" : oriented.ops[i - 1]) + keyOf(s, deadline)).join("");
}

function exprKey(node: MathNode, deadline: Deadline): string {
  if (node.kind === "percent" || node.kind === "degree") return exprKey(node.arg, deadline);
  if (node.kind === "based") return `${node.digits}_${node.base}`;
  const vars = [...freeVariables(node)].sort();
  try {
    if (vars.length === 0) return valueKey(evaluate(node, null, deadline));
    // A function of its variables, known by its values at three fixed points.
    const values: string[] = [];
    for (const { env } of randomPoints(vars, 0)) {
      values.push(valueKey(evaluate(node, env, deadline)));
      if (values.length === 3) break;
    }
    return `f(${vars.join(",")})=[${values.join(";")}]`;
  } catch {
    return `tree:${JSON.stringify(node, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}`;
  }
}

function valueKey(v: Value): string {
  if (v.t === "q") return formatQ(v.q);
  if (v.t === "m") return `[${v.rows.map((r) => `[${r.map(valueKey).join(",")}]`).join(",")}]`;
  if (v.t === "big") return `${v.sign < 0 ? "-" : ""}10^≈${Number(v.log10.toPrecision(12))}`;
  if (v.t === "u") return "?";
  if (v.t === "c") return `${Number(v.re.toPrecision(12))}${v.im < 0 ? "-" : "+"}${Math.abs(Number(v.im.toPrecision(12)))}i`;
  if (!Number.isFinite(v.x)) return Number.isNaN(v.x) ? "NaN" : v.x > 0 ? "∞" : "-∞";
  const close = approximateRational(v.x);
  if (close) return formatQ(close);
  return `≈${Number(v.x.toPrecision(12))}`;
}
