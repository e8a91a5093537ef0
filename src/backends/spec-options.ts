import { InvalidOptionError } from "../core/errors/invalid-option-error.js";

/**
 * The options of a model spec such as `models/prm.gguf?threads=2` or
 * `http://host:8000/v1?model=qwen&api=chat`: `key=value` pairs after the first "?", joined by "&",
 * percent-decoded (a "+" stays a plus sign: write a space as %20). Each option is read once;
 * `finish()` rejects the ones nobody read, naming them and the accepted keys.
 */
export class SpecOptions {
  /** The spec without its options (a path or URL). */
  readonly base: string;
  readonly #where: string;
  readonly #entries = new Map<string, string>();
  readonly #read = new Set<string>();

  constructor(spec: string, what: string) {
    const at = spec.indexOf("?");
    this.base = at < 0 ? spec : spec.slice(0, at);
    // Errors name the base only: a query may hold values that should not be echoed.
    this.#where = `${what} ${this.base}`;
    if (at >= 0) {
      for (const part of spec.slice(at + 1).split("&")) {
        if (!part) continue;
        const eq = part.indexOf("=");
        const key = decode(eq < 0 ? part : part.slice(0, eq), this.#where);
        if (this.#entries.has(key)) throw new InvalidOptionError({ field: key, value: "given twice", accepted: "each option once", where: this.#where });
        this.#entries.set(key, eq < 0 ? "" : decode(part.slice(eq + 1), this.#where));
      }
    }
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  string(key: string): string | undefined {
    this.#read.add(key);
    return this.#entries.get(key);
  }

  oneOf<T extends string>(key: string, accepted: readonly T[]): T | undefined {
    const value = this.string(key);
    if (value !== undefined && !accepted.includes(value as T)) throw this.bad(key, value, accepted.join(", "));
    return value as T | undefined;
  }

  number(key: string, { integer = false, min = -Infinity }: { integer?: boolean; min?: number } = {}): number | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
      throw this.bad(key, value, `${integer ? "an integer" : "a number"}${min > -Infinity ? ` ≥ ${min}` : ""}`);
    }
    return n;
  }

  boolean(key: string): boolean | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (["", "1", "true", "yes"].includes(value)) return true;
    if (["0", "false", "no"].includes(value)) return false;
    throw this.bad(key, value, "1/true/yes or 0/false/no");
  }

  /** Throws for any option not read, naming the accepted keys. */
  finish(accepted: readonly string[]): void {
    for (const key of this.#entries.keys()) {
      if (!this.#read.has(key)) throw new InvalidOptionError({ field: key, value: "an unknown option", accepted: `one of: ${accepted.join(", ")}`, where: this.#where });
    }
  }

  bad(key: string, value: unknown, accepted: string): InvalidOptionError {
    return new InvalidOptionError({ field: key, value, accepted, where: this.#where });
  }
}

function decode(text: string, where: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new InvalidOptionError({ field: "options", value: text, accepted: "percent-encoded key=value pairs", where });
  }
}
