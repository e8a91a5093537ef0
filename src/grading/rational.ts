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

/**
 * Exact work is bounded so that no single BigInt operation can stall a comparison (each one
 * is uninterruptible): integers up to 65,536 bits (about 19,700 digits: a power or product of
 * that size takes well under a millisecond), denominators up to 4,096 bits (reducing a fraction
 * runs Euclid's algorithm, about 10 ms at that size). Larger values are kept only as magnitudes
 * (see `log10Q`), never as floats that overflow to one shared Infinity.
 */
export const MAX_INTEGER_BITS = 65_536;
export const MAX_DENOMINATOR_BITS = 4_096;

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
  if (a.n === 0n || (a.d === 1n && (a.n === 1n || a.n === -1n))) return rational(k % 2n === 0n ? (a.n === 0n && k > 0n ? 0n : 1n) : a.n);
  if (BigInt(bitLength(a.n)) * k > BigInt(MAX_INTEGER_BITS) || BigInt(bitLength(a.d)) * k > BigInt(MAX_DENOMINATOR_BITS)) return null;
  // Powers of a reduced fraction are reduced: no gcd needed.
  return { n: a.n ** k, d: a.d ** k };
}

/** Whether a value is small enough to keep exact (see MAX_INTEGER_BITS). */
export function withinExactRange(a: Rational): boolean {
  return bitLength(a.n) <= MAX_INTEGER_BITS && bitLength(a.d) <= MAX_DENOMINATOR_BITS;
}

const SAFE = 9007199254740992n;

/** Bits of |x| (exact below 2^53, rounded up to a multiple of 4 above: the caps only need a bound). */
export function bitLength(x: bigint): number {
  const a = x < 0n ? -x : x;
  if (a < SAFE) return a === 0n ? 0 : Math.floor(Math.log2(Number(a))) + 1;
  return a.toString(16).length * 4;
}

/** log10 of |a| (a ≠ 0), accurate to about 1e-15 relative, for values of any size. */
export function log10Q(a: Rational): number {
  return log10Int(a.n < 0n ? -a.n : a.n) - log10Int(a.d);
}

function log10Int(x: bigint): number {
  const bits = bitLength(x);
  if (bits <= 1000) return Math.log10(Number(x));
  const shift = BigInt(bits - 64);
  return Math.log10(Number(x >> shift)) + Number(shift) * Math.log10(2);
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
  let n = BigInt((m[2] || "0") + frac) * (m[1] === "-" ? -1n : 1n);
  if (frac === "") return { n, d: 1n };
  let twos = frac.length;
  let fives = frac.length;
  // The denominator is 2^k·5^k: reduce by those primes alone, never a full gcd of long digit strings.
  while (twos > 0 && n % 2n === 0n) {
    n /= 2n;
    twos--;
  }
  while (fives > 0 && n % 5n === 0n) {
    n /= 5n;
    fives--;
  }
  if (n === 0n) return ZERO;
  return { n, d: 2n ** BigInt(twos) * 5n ** BigInt(fives) };
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
