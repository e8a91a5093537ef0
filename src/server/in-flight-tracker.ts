/**
 * Counts the requests a server has admitted and not yet answered, so a graceful shutdown can wait
 * for them, and cancels them all at once when the shutdown's grace period runs out.
 */
export class InFlightTracker {
  #count = 0;
  #idle: (() => void)[] = [];
  readonly #cancel = new AbortController();

  get count(): number {
    return this.#count;
  }

  /** Fires when in-flight work must stop (the shutdown's grace period is over). */
  get signal(): AbortSignal {
    return this.#cancel.signal;
  }

  /** Marks a request in flight; call the returned function once it is answered (safe to call twice). */
  begin(): () => void {
    this.#count++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#count--;
      if (this.#count === 0) for (const resolve of this.#idle.splice(0)) resolve();
    };
  }

  /** Resolves once nothing is in flight. */
  idle(): Promise<void> {
    return this.#count === 0 ? Promise.resolve() : new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Cancels every request still in flight. */
  cancelAll(reason: string): void {
    this.#cancel.abort(new Error(reason));
  }
}
