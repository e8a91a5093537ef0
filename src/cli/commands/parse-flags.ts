import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";

// Command-line values arrive as strings; these parse one flag each and name it when it is bad.

export function parseInteger(field: string, text: string, min: number): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isInteger(n) || n < min) throw new InvalidOptionError({ field, value: text, accepted: `an integer ≥ ${min}` });
  return n;
}

export function parseNumber(field: string, text: string, min: number): number {
  const n = Number(text);
  if (text.trim() === "" || !(n >= min)) throw new InvalidOptionError({ field, value: text, accepted: `a number ≥ ${min}` });
  return n;
}

export function parseIntegerList(field: string, text: string, min: number): number[] {
  const parts = text.split(",").map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < min)) throw new InvalidOptionError({ field, value: text, accepted: `comma-separated integers ≥ ${min}, like 1,4,16` });
  return parts.map(Number);
}

export function parseChoice<T extends string>(field: string, text: string, accepted: readonly T[]): T {
  if (!(accepted as readonly string[]).includes(text)) throw new InvalidOptionError({ field, value: text, accepted: accepted.join(", ") });
  return text as T;
}
