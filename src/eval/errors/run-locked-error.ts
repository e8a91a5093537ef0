import { PonderError } from "../../core/errors/ponder-error.js";

/** Another live process is writing to the run directory. */
export class RunLockedError extends PonderError {
  override name = "RunLockedError";
  readonly dir: string;
  readonly pid: number;

  constructor({ dir, pid }: { dir: string; pid: number }) {
    super(`${dir} is being written by another ponder eval (process ${pid}); wait for it, or use another --out directory`);
    this.dir = dir;
    this.pid = pid;
  }
}
