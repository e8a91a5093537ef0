/**
 * Ctrl-C (SIGINT) and SIGTERM for commands that run work. The first signal aborts `controller`,
 * which stops in-flight model calls at their next token, and lets the command clean up (an
 * evaluation closes its results file and releases its lock); if that takes longer than `graceMs`
 * the process exits anyway, so Ctrl-C always stops within a second. A second signal exits at once.
 * Returns a function that removes the handlers.
 * @example const stop = abortOnInterrupt(controller, "solve"); try { … } finally { stop(); }
 */
export function abortOnInterrupt(controller: AbortController, command: string, { graceMs = 800 }: { graceMs?: number } = {}): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\nponder ${command}: ${signal === "SIGINT" ? "interrupted" : signal}; stopping\n`);
    controller.abort(new Error(`${signal} received`));
    setTimeout(() => process.exit(130), graceMs).unref();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}
