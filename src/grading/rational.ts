/**
 * Exact rational numbers on BigInt, so integer and fraction answers compare exactly however
 * large they are (2^100 against its digits, 10^20 + 1 against 10^20).
 */
export interface Rational {
  /** Numerator, carrying the sign. */
  readonly n: bigint;
  /** Denominator, always positive; the fraction is always reduced. */
  readonly d: bigint;
}

/** Numbers bigger than this many bits are left to floating point: exact work on them could stall. */
const MAX_BITS = 4096n;

export function rational(n: bigint, d: bigint = 1n): Rational {
  if (d === 0n) throw new RangeError("zero denominator");
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n < 0n ? -n : n, d);
  return g === 1n ? { n, d } : { n: n / g, d: d / g };
}

export const ZERO = rational(0n);
export const ONE = rational(1n);

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}

export function addQ(a: Rational, b: Rational): Rational {
  return rational(a.n * b.d + b.n * a.d, a.d * b.d);
}

export function subQ(a: Rational, b: Rational): Rational {
  return rational(a.n * b.d - b.n * a.d, a.d * b.d);
}

export function mulQ(a: Rational, b: Rational): Rational {
  return rational(a.n * b.n, a.d * b.d);
}

/** a / b, or null when b is zero. */
export function divQ(a: Rational, b: Rational): Rational | null {
  return b.n === 0n ? null : rational(a.n * b.d, a.d * b.n);
}

export function negQ(a: Rational): Rational {
  return { n: -a.n, d: a.d };
}

/** a^k for an integer k, or null when the result would be too large to keep exact (or 0^-k). */
export function powQ(a: Rational, k: bigint): Rational | null {
  if (k < 0n) {
    const inv = divQ(ONE, a);
    return inv === null ? null : powQ(inv, -k);
  }
  const bits = BigInt(Math.max(bitLength(a.n), bitLength(a.d)));
  if (bits * k > MAX_BITS && a.n !== 0n && !(a.d === 1n && (a.n === 1n || a.n === -1n))) return null;
  return rational(a.n ** k, a.d ** k);
}

function bitLength(x: bigint): number {
  return (x < 0n ? -x : x).toString(2).length;
}

export function cmpQ(a: Rational, b: Rational): number {
  const diff = a.n * b.d - b.n * a.d;
  return diff === 0n ? 0 : diff < 0n ? -1 : 1;
}

export function isIntegerQ(a: Rational): boolean {
  return a.d === 1n;
}

/** Nearest double; exact for moderate values, still finite-or-Infinity for huge ones. */
export function toNumberQ(a: Rational): number {
  const direct = Number(a.n) / Number(a.d);
  if (Number.isFinite(direct) && direct !== 0) return direct;
  if (a.n === 0n) return 0;
  // Both parts overflow a double: scale them down together first.
  const shift = Math.max(bitLength(a.n), bitLength(a.d)) - 1000;
  if (shift <= 0) return direct;
  const s = BigInt(shift);
  return Number(a.n >> s) / Number(a.d >> s);
}

/** "p/q", or "p" for integers. */
export function formatQ(a: Rational): string {
  return a.d === 1n ? a.n.toString() : `${a.n}/${a.d}`;
}

/** Parses a plain decimal such as "-12.50", ".4" or "7"; null for anything else. */
export function parseDecimalQ(text: string): Rational | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const frac = m[3] ?? "";
  const n = BigInt((m[2] || "0") + frac) * (m[1] === "-" ? -1n : 1n);
  return rational(n, 10n ** BigInt(frac.length));
}

/** True when the value is a terminating decimal with at most `places` digits after the point. */
export function isDecimalWithin(a: Rational, places: number): boolean {
  const scale = 10n ** BigInt(Math.max(0, places));
  return (a.n * scale) % a.d === 0n;
}

/** The best rational with a small denominator within `tolerance` of x (continued fractions), if any. */
export function approximateRational(x: number, maxDenominator = 10_000, tolerance = 1e-12): Rational | null {
  if (!Number.isFinite(x) || Math.abs(x) > 1e15) return null;
  let [h0, h1, k0, k1] = [0, 1, 1, 0];
  let value = x;
  for (let i = 0; i < 40; i++) {
    const a = Math.floor(value);
    [h0, h1] = [h1, a * h1 + h0];
    [k0, k1] = [k1, a * k1 + k0];
    if (k1 > maxDenominator) return null;
    if (Math.abs(h1 / k1 - x) <= tolerance * Math.max(1, Math.abs(x))) return rational(BigInt(h1), BigInt(k1));
    const rest = value - a;
    if (rest < 1e-15) return null;
    value = 1 / rest;
  }
  return null;
}
