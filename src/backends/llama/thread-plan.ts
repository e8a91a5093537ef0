import { availableParallelism } from "node:os";

/**
 * How many llama.cpp threads each embedded model decodes with, chosen for all the models of one
 * process together.
 *
 * Why the choice matters (measured on the 2-core machine, README "Performance notes"):
 * - node-llama-cpp attaches no persistent thread pool, so every decode of a context with `threads`
 *   T > 1 starts T − 1 threads for that one graph, and they meet at a barrier after every graph
 *   node (ggml_barrier), waiting by spinning, never sleeping. A 291k-parameter model's nodes take
 *   microseconds, so when a thread of the team is not on a core (another model's team, the
 *   JavaScript thread, another process) the others spin at each barrier until the scheduler
 *   preempts them: milliseconds per node instead of microseconds. Policy and PRM at 2 threads each
 *   on 2 cores, beside the JavaScript thread, made the README's main job 23× slower.
 * - The JavaScript thread has work between steps (ponder's strategies and prefix matching, reading
 *   each step's tokens, GC): it needs a core of its own.
 * - With one thread per model nothing spins, and policy and verifier decode at the same time on
 *   different cores (each context's steps run on a libuv worker thread of their own).
 *
 * So: a model's team is at most (cores − 1) / models threads (the JavaScript thread keeps one),
 * and never fewer than one, whether asked for with --threads or a spec's threads=N; the models
 * together never run more threads than cores (the decode driver's core budget makes a step wait
 * until its team fits, context-driver.ts).
 * - The policy's decodes are the critical path (a search waits on them; the verifier is idle most of
 *   the time). With one-thread teams the policy therefore gets a context per core (LlamaGenerator
 *   spreads problems over sibling contexts of its model): several one-thread decodes at once use
 *   the cores without a barrier to spin at. On 2 cores the README's main job took 5.5 s instead of
 *   7.5 s with the policy on two contexts.
 */
export interface ThreadPlanInput {
  /** CPU cores this process may use; defaults to os.availableParallelism(). */
  cores?: number;
  /** Embedded models the process loads at once (policy, verifier, reviser…), each on its own context. */
  models: number;
  /** Threads per model the user asked for (`--threads`, like llama.cpp's `-t`); undefined: choose. */
  requested?: number | undefined;
}

export interface ThreadPlan {
  /** Threads each model decodes with (its ggml thread team). */
  perModel: number;
  /** Threads all models run at once at most. */
  total: number;
  /**
   * Contexts the policy spreads its problems over (LlamaGenerator over sibling engines): one per
   * core when each model's team is one thread, else 1. One-thread contexts never spin; the
   * driver's core budget still runs at most `cores` decodes at once, the rest wait their turn.
   */
  policyContexts: number;
  cores: number;
  /** Why a requested setting was lowered (print it); undefined when it was kept or none was given. */
  warning?: string;
}

/** Threads per model and in all, for `models` embedded models on `cores` cores (see the module comment). */
export function planThreads({ cores = availableCores(), models, requested }: ThreadPlanInput): ThreadPlan {
  if (!Number.isInteger(cores) || cores < 1) throw new RangeError(`cores must be an integer ≥ 1, got ${cores}`);
  if (!Number.isInteger(models) || models < 1) throw new RangeError(`models must be an integer ≥ 1, got ${models}`);
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 1)) throw new RangeError(`requested threads must be an integer ≥ 1, got ${requested}`);
  const cap = safeThreadsPerModel(cores, models);
  const perModel = requested === undefined ? cap : Math.min(requested, cap);
  const plan: ThreadPlan = { perModel, total: Math.min(cores, perModel * models), cores, policyContexts: perModel === 1 ? cores : 1 };
  if (requested !== undefined && requested > cap) plan.warning = oversubscriptionWarning({ requested, perModel, models, cores });
  return plan;
}

/** The most threads one model may take: the JavaScript thread keeps a core, the rest is shared evenly; at least one. */
export function safeThreadsPerModel(cores: number, models: number): number {
  return Math.max(1, Math.floor((cores - 1) / models));
}

export function oversubscriptionWarning({
  requested,
  perModel,
  models,
  cores,
  setting = `--threads ${requested}`,
}: {
  requested: number;
  perModel: number;
  models: number;
  cores: number;
  /** How the user asked for it, as they wrote it. */
  setting?: string;
}): string {
  const asked = models === 1 ? `${requested} llama.cpp threads` : `${requested} llama.cpp threads for each of ${models} models (${requested * models})`;
  return (
    `warning: ${setting} oversubscribes the CPU: ${asked} on ${cores} core${cores === 1 ? "" : "s"}, beside the JavaScript thread; ` +
    `using ${perModel} per model instead. llama.cpp's threads wait for each other by spinning, so more threads than free cores ` +
    `make every decode wait for descheduled threads (the README's main job ran 23× slower at --threads 2 on 2 cores).`
  );
}

/** Cores this process may run on (affinity and cgroup limits included, as Node reports them). */
export function availableCores(): number {
  return Math.max(1, availableParallelism());
}

let warned = false;

/**
 * Warns once per process (a Node warning, code PONDER_THREADS_OVERSUBSCRIBED) when one model asks
 * for more threads than there are cores; node-llama-cpp then lowers it to the cores. Returns
 * whether the setting oversubscribes.
 */
export function warnIfOversubscribed(threads: number, cores = availableCores()): boolean {
  if (threads <= cores) return false;
  if (!warned) {
    warned = true;
    process.emitWarning(
      `llama.cpp threads ${threads} > ${cores} available cores: lowered to ${cores}; more threads than cores make llama.cpp's spinning barriers wait for descheduled threads`,
      { code: "PONDER_THREADS_OVERSUBSCRIBED" },
    );
  }
  return true;
}
