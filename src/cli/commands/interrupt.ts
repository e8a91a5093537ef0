/**
 * Ctrl-C (SIGINT) and SIGTERM for commands that run work. The first signal aborts `controller`,
 * which stops in-flight model calls at their next token, and lets the command clean up (an
 * evaluation closes its results file and releases its lock); if that takes longer than `graceMs`
 * the process ends anyway, so Ctrl-C always stops within a second. A second signal ends it at once.
 * Returns a function that removes the handlers.
 * @example const stop = abortOnInterrupt(controller, "solve"); try { … } finally { stop(); }
 */
export function abortOnInterrupt(controller: AbortController, command: string, { graceMs = 500 }: { graceMs?: number } = {}): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) endBySignal(signal);
    process.stderr.write(`\nponder ${command}: ${signal === "SIGINT" ? "interrupted" : signal}; stopping\n`);
    controller.abort(new Error(`${signal} received`));
    setTimeout(() => endBySignal(signal), graceMs).unref();
    // Once interrupted, exiting normally would still free the models, which waits for the decode in
    // flight (measured: 1 to 4 s on a loaded machine); what had to be written is written by then.
    process.once("exit", () => endBySignal(signal));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}

/**
 * Ends the process at once, as `signal` does by default (a shell reports 130 for SIGINT, and a
 * script running ponder stops too, as it should when a program it runs is stopped by Ctrl-C), skipping
 * Node's exit-time teardown: process.exit runs the engine's native cleanup, which joins threads
 * still decoding. Files are safe: every write ponder makes is synchronous or already awaited.
 */
export function endBySignal(signal: NodeJS.Signals): never {
  // Without listeners Node restores the default action, so raising the signal ends the process.
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
  process.kill(process.pid, "SIGKILL"); // only if something still catches the signal
  throw new Error("unreachable");
}
