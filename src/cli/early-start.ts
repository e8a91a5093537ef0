/** Commands that load embedded models unless every model they use is an HTTP endpoint. */
const LOADING = new Set(["eval", "solve", "serve", "label"]);

/**
 * Whether `ponder <argv>` will, by all signs on its command line and environment, load an embedded
 * model: one of the commands that load models, no help or version asked for, and no model given as
 * an endpoint (an argument or PONDER_* variable with `://`) or from a config file, which would only
 * be known once it is read. A wrong guess costs time, never a result: the binding is then got for
 * nothing, or got when the first model loads.
 */
export function loadsEmbeddedModels(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  if (!LOADING.has(argv[0] ?? "")) return false;
  if (argv.some((a) => a === "--help" || a === "-h" || a === "--version" || a === "-V" || a === "--config" || a.startsWith("--config=") || a.includes("://"))) return false;
  if (env.PONDER_CONFIG) return false;
  return !Object.entries(env).some(([name, value]) => name.startsWith("PONDER_") && value?.includes("://"));
}
