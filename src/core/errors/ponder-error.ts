/** Base of every error ponder throws on purpose; `name` is stable and safe to branch on. */
export class PonderError extends Error {
  override name = "PonderError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
