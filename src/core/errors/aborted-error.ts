import { PonderError } from "./ponder-error.js";

/** Work was cancelled through its AbortSignal. */
export class AbortedError extends PonderError {
  override name = "AbortedError";

  constructor(options?: { cause?: unknown }) {
    super("aborted", options);
  }
}

/** Throws an AbortedError when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError({ cause: signal.reason });
}
