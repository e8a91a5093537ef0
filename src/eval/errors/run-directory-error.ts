import { PonderError } from "../../core/errors/ponder-error.js";

/** A run directory cannot be created, read or written: the message names the path and the operating system's reason. */
export class RunDirectoryError extends PonderError {
  override name = "RunDirectoryError";
  readonly dir: string;
  /** The path the operation failed on (the directory, or an ancestor that stops it being created). */
  readonly path: string;
  /** The system error code (`EROFS`, `EACCES`, `ENOSPC`, …), when there is one. */
  readonly code: string | null;

  constructor({ dir, path, action, cause, advice = "" }: { dir: string; path: string; action: string; cause: unknown; advice?: string }) {
    const code = (cause as NodeJS.ErrnoException)?.code ?? null;
    super(`cannot ${action} ${path}: ${describeCode(code, cause)}${advice ? `; ${advice}` : ""}`, { cause });
    this.dir = dir;
    this.path = path;
    this.code = code;
  }
}

/** The operating system's reason in words, without Node's stack-style prefix and suffix. */
export function describeCode(code: string | null, cause: unknown): string {
  const words: Record<string, string> = {
    EROFS: "the file system is read-only",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    ENOSPC: "no space left on the device",
    EDQUOT: "the disk quota is exhausted",
    ENOTDIR: "a part of the path is a file, not a directory",
    EEXIST: "it exists and is not a directory",
    EISDIR: "it is a directory",
    ENOENT: "no such file or directory",
    EIO: "an input/output error",
  };
  const text = code && words[code] ? words[code] : cause instanceof Error ? cause.message.replace(/^E[A-Z]+: /, "") : String(cause);
  return code ? `${text} (${code})` : text;
}
