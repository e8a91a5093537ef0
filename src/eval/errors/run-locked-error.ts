import { PonderError } from "../../core/errors/ponder-error.js";

/** Another live process is writing to the run directory (or its lock cannot be judged stale). */
export class RunLockedError extends PonderError {
  override name = "RunLockedError";
  readonly dir: string;
  /** The process the lock names, when it names one. */
  readonly pid: number | null;
  /** The lock file, which the user may delete when no ponder eval is writing the run. */
  readonly lockFile: string;

  constructor({ dir, pid, lockFile, holder }: { dir: string; pid: number | null; lockFile: string; holder: string }) {
    super(
      `${dir} is being written by ${holder}; wait for it to finish. ` +
        `If no ponder eval is running on this directory, delete ${lockFile} and run the same command again (no result is lost)`,
    );
    this.dir = dir;
    this.pid = pid;
    this.lockFile = lockFile;
  }
}
