/** Thrown when a comparison runs past its time limit; caught where the comparison started. */
export class DeadlineExceeded extends Error {}

/** A wall-clock limit that long-running grading loops check cheaply and often. */
export class Deadline {
  private readonly at: number;
  private ticks = 0;

  constructor(readonly ms: number) {
    this.at = performance.now() + ms;
  }

  /** Milliseconds left, never negative. */
  remaining(): number {
    return Math.max(0, this.at - performance.now());
  }

  /** Throws DeadlineExceeded once the limit has passed; reads the clock every 64 calls. */
  check(): void {
    if ((++this.ticks & 63) === 0 && performance.now() > this.at) throw new DeadlineExceeded();
  }

  /** Throws DeadlineExceeded if the limit has passed, reading the clock now. */
  checkNow(): void {
    if (performance.now() > this.at) throw new DeadlineExceeded();
  }
}
