import type { EvalEvent } from "../../eval/eval-events.js";

/**
 * Prints an evaluation's progress: on a terminal, one line redrawn in place with a bar and the
 * time left; elsewhere (CI, a pipe, a log file) a plain line at every tenth of the work or every
 * 30 seconds, so logs stay readable.
 */
export class ProgressPrinter {
  readonly #stream: NodeJS.WriteStream;
  readonly #tty: boolean;
  readonly #label: string;
  #lastLine = 0;
  #lastTenth = -1;
  #drawn = false;

  constructor(label: string, stream: NodeJS.WriteStream = process.stderr) {
    this.#label = label;
    this.#stream = stream;
    this.#tty = Boolean(stream.isTTY) && !process.env.CI;
  }

  update(event: Extract<EvalEvent, { type: "progress" }>): void {
    const { doneRecords, totalRecords, etaMs, elapsedMs } = event;
    const fraction = totalRecords === 0 ? 1 : doneRecords / totalRecords;
    const text = `${doneRecords}/${totalRecords} records (${(fraction * 100).toFixed(0)}%), ${duration(elapsedMs)} elapsed, ${etaMs === null ? "estimating" : `~${duration(etaMs)} left`}`;
    if (this.#tty) {
      const width = 24;
      const filled = Math.round(fraction * width);
      this.#stream.write(`\r\x1b[2K[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${text}`);
      this.#drawn = true;
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth > this.#lastTenth || elapsedMs - this.#lastLine > 30_000) {
      this.#lastTenth = tenth;
      this.#lastLine = elapsedMs;
      this.#stream.write(`${this.#label}: ${text}\n`);
    }
  }

  /** Ends the redrawn line before other output. */
  finish(): void {
    if (this.#drawn) this.#stream.write("\n");
    this.#drawn = false;
  }
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, "0")}m`;
}
