import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { badRequest } from "./errors/api-error.js";

/** What one request may ask the server to spend. A request asking for more is refused with a 400, never silently cut. */
export interface ComputeLimits {
  /** Most generations (the budget N) a request may ask for. */
  maxBudget: number;
  /** Most tokens of one solution (`max_tokens`). */
  maxTokens: number;
  /** Most generated tokens across a request's whole search; also the token budget of requests that set none. */
  maxRequestTokens: number;
}

export const DEFAULT_LIMITS: ComputeLimits = { maxBudget: 64, maxTokens: 1024, maxRequestTokens: 65_536 };

/** Checks configured limits, naming the bad one. */
export function validateLimits(limits: ComputeLimits, where = "createServer"): ComputeLimits {
  for (const field of ["maxBudget", "maxTokens", "maxRequestTokens"] as const) {
    const value = limits[field];
    if (!Number.isSafeInteger(value) || value < 1) throw new InvalidOptionError({ field: `limits.${field}`, value, accepted: "an integer ≥ 1", where });
  }
  return limits;
}

/** Refuses a request value above its cap, naming the request field that asked for it. */
export function checkCap(value: number, cap: number, param: string, what: string): void {
  if (value > cap) {
    throw badRequest(param, `${param}: ${value} ${what} exceeds this server's per-request cap of ${cap}`, "compute_cap_exceeded");
  }
}
