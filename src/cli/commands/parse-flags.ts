import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";

// Command-line values arrive as strings; these parse one flag each, strictly, and name it when it
// is bad. Only plain decimal digits are numbers: `0x10`, `1e9`, `16.0`, `Infinity` and ` ` are
// refused rather than read as something the user may not have meant, and every value has a maximum.

const INTEGER = /^\d+$/;
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** An integer in [min, max], written in decimal digits. */
export function parseInteger(field: string, text: string, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
  const n = INTEGER.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidOptionError({ field, value: text, accepted: integerRange(min, max) });
  return n;
}

/** A number in [min, max], written as decimal digits with an optional fraction (`0.8`). */
export function parseNumber(field: string, text: string, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
  const n = DECIMAL.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw new InvalidOptionError({ field, value: text, accepted: `a decimal number from ${min} to ${max}, like 0.8` });
  return n;
}

/** Comma-separated integers in [min, max], at most `maxCount` of them. */
export function parseIntegerList(field: string, text: string, min: number, max: number = Number.MAX_SAFE_INTEGER, maxCount = Infinity): number[] {
  const parts = text.split(",").map((p) => p.trim());
  const accepted = `comma-separated integers from ${min} to ${max}${maxCount < Infinity ? `, at most ${maxCount} of them` : ""}, like 1,4,16`;
  const numbers = parts.map((p) => (INTEGER.test(p) ? Number(p) : NaN));
  if (parts.length > maxCount || numbers.some((n) => !Number.isSafeInteger(n) || n < min || n > max)) throw new InvalidOptionError({ field, value: text, accepted });
  return numbers;
}

export function parseChoice<T extends string>(field: string, text: string, accepted: readonly T[]): T {
  if (!(accepted as readonly string[]).includes(text)) throw new InvalidOptionError({ field, value: text, accepted: accepted.join(", ") });
  return text as T;
}

function integerRange(min: number, max: number): string {
  return max >= Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}, in decimal digits` : `an integer from ${min} to ${max}, in decimal digits`;
}
