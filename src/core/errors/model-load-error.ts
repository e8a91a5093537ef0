import { PonderError } from "./ponder-error.js";

/** A model could not be loaded; `reason` says why in a form a program can branch on. */
export class ModelLoadError extends PonderError {
  override name = "ModelLoadError";
  readonly path: string;
  readonly reason: "missing-file" | "not-gguf" | "unsupported-architecture" | "context-too-small" | "load-failed";

  constructor({ path, reason, message, cause }: { path: string; reason: ModelLoadError["reason"]; message: string; cause?: unknown }) {
    super(message, { cause });
    this.path = path;
    this.reason = reason;
  }
}
