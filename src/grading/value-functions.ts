import { complex, complexCall } from "./complex-values.js";
import { add, exactRoot, multiply, negate, power } from "./value-arithmetic.js";
import { isIntegerQ, rational, type Rational } from "./rational.js";
import { f, fromLog, magnitude, q, toFloat, UNDEFINED, UNKNOWN, type Value } from "./values.js";

const FLOAT_FUNCTIONS: Record<string, (x: number) => number> = {
  sin: Math.sin, cos: Math.cos, tan: Math.tan, sec: (x) => 1 / Math.cos(x), csc: (x) => 1 / Math.sin(x), cot: (x) => 1 / Math.tan(x),
  arcsin: Math.asin, arccos: Math.acos, arctan: Math.atan, sinh: Math.sinh, cosh: Math.cosh, tanh: Math.tanh,
};

/** Functions whose value only changes at integers or is only defined there: they need integer test points. */
export const INTEGER_FUNCTIONS = new Set(["floor", "ceil", "round", "fact", "binom", "gcd", "lcm", "mod"]);

/** Largest n whose n! is computed exactly (about 30,000 bits); beyond it, Stirling's magnitude. */
const EXACT_FACTORIAL = 3000n;

/**
 * The value of a function applied to values (see MathNode's `call`). With `imaginary`, even
 * roots of negative numbers are imaginary rather than undefined.
 */
export function call(fn: string, args: Value[], imaginary = false): Value {
  const [a, b] = args;
  if (!a) return UNDEFINED;
  if (a.t === "m") return fn === "det" ? determinant(a.rows) : UNDEFINED;
  if (a.t === "u" || b?.t === "u") return UNKNOWN;
  if (a.t === "c") return args.length === 1 ? complexCall(fn, a) : UNKNOWN;
  switch (fn) {
    case "sqrt": {
      const x = toFloat(a);
      if (imaginary && x < 0 && a.t !== "big") return complex(0, Math.sqrt(-x));
      return root(a, 2n);
    }
    case "root": {
      const k = b && b.t === "q" && isIntegerQ(b.q) && b.q.n > 0n && b.q.n < 1000n ? b.q.n : null;
      return k === null ? UNDEFINED : root(a, k, imaginary);
    }
    case "abs":
      if (a.t === "q") return q(a.q.n < 0n ? { n: -a.q.n, d: a.q.d } : a.q);
      return a.t === "big" ? { ...a, sign: 1 } : f(Math.abs(a.x));
    case "floor":
    case "ceil":
    case "round":
      if (a.t === "q") return q(rational(roundQ(a.q, fn)));
      // A magnitude beyond 10^300 is an integer to every digit it keeps.
      return a.t === "big" ? a : f(fn === "floor" ? Math.floor(a.x) : fn === "ceil" ? Math.ceil(a.x) : Math.round(a.x));
    case "fact":
      return factorial(a);
    case "binom":
      return binomial(a, b);
    case "gcd":
    case "lcm":
      return gcdLcm(fn, args);
    case "max":
    case "min":
      return extreme(fn, args);
    case "mod":
      return b ? modulo(a, b) : UNDEFINED;
    case "log":
    case "ln":
    case "lg": {
      if (a.t === "f" && a.x === Infinity) return a;
      const m = magnitude(a);
      if (!m || m.sign < 0) return UNDEFINED;
      const baseLog10 = fn === "ln" ? Math.LOG10E : fn === "lg" ? 1 : b ? logBase(b) : 1;
      return baseLog10 === 0 || Number.isNaN(baseLog10) ? UNDEFINED : f(m.log10 / baseLog10);
    }
    case "exp": {
      const x = toFloat(a);
      if (a.t === "big") return UNKNOWN;
      const r = Math.exp(x);
      return Number.isFinite(r) && r !== 0 ? f(r) : Number.isNaN(x) ? UNDEFINED : fromLog(1, x * Math.LOG10E);
    }
    case "det":
      return a;
    default:
      if (a.t === "big" || b?.t === "big") return UNKNOWN;
      if (fn.startsWith("apply:")) return f(uninterpreted(fn, args.map(toFloat)));
      if (FLOAT_FUNCTIONS[fn]) return f(FLOAT_FUNCTIONS[fn](toFloat(a)));
      return UNDEFINED;
  }
}

function logBase(b: Value): number {
  const m = magnitude(b);
  return m && m.sign > 0 ? m.log10 : NaN;
}

function root(a: Value, k: bigint, imaginary = false): Value {
  if (a.t === "q") {
    const exact = exactRoot(a.q, k);
    if (exact) return q(exact);
  }
  return power(a, q(rational(1n, k)), imaginary);
}

function roundQ(a: Rational, mode: "floor" | "ceil" | "round"): bigint {
  const floor = a.n >= 0n ? a.n / a.d : -((-a.n + a.d - 1n) / a.d);
  if (mode === "floor" || isIntegerQ(a)) return floor;
  if (mode === "ceil") return floor + 1n;
  // Half rounds up, as Math.round does.
  return 2n * (a.n - floor * a.d) >= a.d ? floor + 1n : floor;
}

function integerOf(v: Value | undefined): bigint | null {
  return v?.t === "q" && isIntegerQ(v.q) ? v.q.n : null;
}

function factorial(a: Value): Value {
  const n = integerOf(a);
  if (n === null) return a.t === "big" && a.sign > 0 ? UNKNOWN : UNDEFINED;
  if (n < 0n) return UNDEFINED;
  if (n <= EXACT_FACTORIAL) {
    let out = 1n;
    for (let i = 2n; i <= n; i++) out *= i;
    return q(rational(out));
  }
  // Stirling's series: log10 n! to far better than the magnitudes' own precision at these sizes.
  const x = Number(n);
  return fromLog(1, (x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x) + 1 / (12 * x)) * Math.LOG10E);
}

function binomial(a: Value, b: Value | undefined): Value {
  const n = integerOf(a);
  const k = integerOf(b);
  if (n === null || k === null || n > 20_000n) return a.t === "big" ? UNKNOWN : UNDEFINED;
  if (k < 0n || k > n) return q(rational(0n));
  const steps = k < n - k ? k : n - k;
  let out = 1n;
  for (let i = 1n; i <= steps; i++) out = (out * (n - steps + i)) / i;
  return q(rational(out));
}

function gcdLcm(fn: string, args: Value[]): Value {
  const ints = args.map(integerOf);
  if (ints.some((i) => i === null)) return UNDEFINED;
  const gcd = (x: bigint, y: bigint): bigint => {
    while (y !== 0n) [x, y] = [y, x % y];
    return x < 0n ? -x : x;
  };
  const out = (ints as bigint[]).reduce((acc, x) => (fn === "gcd" ? gcd(acc, x) : acc === 0n || x === 0n ? 0n : (acc / gcd(acc, x)) * (x < 0n ? -x : x)));
  return q(rational(out));
}

function extreme(fn: string, args: Value[]): Value {
  let best: Value | null = null;
  for (const v of args) {
    const x = toFloat(v);
    if (Number.isNaN(x)) return v.t === "u" ? UNKNOWN : UNDEFINED;
    if (!best || (fn === "max" ? x > toFloat(best) : x < toFloat(best))) best = v;
  }
  return best ?? UNDEFINED;
}

function modulo(a: Value, b: Value): Value {
  const x = integerOf(a);
  const m = integerOf(b);
  if (x === null || m === null || m === 0n) return UNDEFINED;
  const r = x % m;
  return q(rational(r < 0n ? r + (m < 0n ? -m : m) : r));
}

function determinant(rows: Value[][]): Value {
  if (rows.length !== rows[0]?.length || rows.length > 6) return UNDEFINED;
  if (rows.length === 1) return rows[0]![0]!;
  let sum: Value = q(rational(0n));
  rows[0]!.forEach((cell, j) => {
    const minor = rows.slice(1).map((r) => r.filter((_, k) => k !== j));
    const term = multiply(cell, determinant(minor));
    sum = add(sum, j % 2 === 0 ? term : negate(term));
  });
  return sum;
}

/** A fixed smooth function per name, so `f(2)` equals `f(2)` and not `f(1)` without knowing f. */
function uninterpreted(fn: string, args: number[]): number {
  let h = 7;
  for (const c of fn) h = (h * 31 + c.charCodeAt(0)) % 1000;
  return args.reduce((acc, x, i) => acc + Math.sin((h + 1 + i) * 0.37 * x + h) * (i + 1.3) + 0.11 * x, 0.5);
}
