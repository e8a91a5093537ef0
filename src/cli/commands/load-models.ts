import { createGenerator, isHttp, type CreatedGenerator, type EngineDefaults } from "../../backends/create-generator.js";
import { planThreads, safeThreadsPerModel, type ThreadPlan } from "../../backends/llama/thread-plan.js";
import type { AnswerReader } from "../../core/answer-reader.js";
import type { Generator } from "../../core/generator.js";
import type { Verifier } from "../../core/verifier.js";
import { createVerifier, type CreatedVerifier } from "../../verifiers/create-verifier.js";

/** The models a command names, as specs; null for a role the command does not need. */
export interface ModelSpecs {
  policy: string;
  verifier: string | null;
  reviser: string | null;
}

export interface LoadedModels {
  generator: Generator;
  verifier?: Verifier;
  reviser?: Generator;
  /** Frees every model, the last loaded first. */
  dispose(): Promise<void>;
}

/**
 * Loads the policy, verifier and reviser together; when one fails, those already loaded are freed
 * before the error propagates. `threads` is per embedded model (like llama.cpp's `-t`); unset, it is
 * chosen for all of them together from the available cores (planThreads), and a setting that would
 * oversubscribe the cores is lowered, with a warning on stderr (`onWarning`).
 */
export async function loadModels(
  specs: ModelSpecs,
  options: EngineDefaults & { answers?: AnswerReader; signal?: AbortSignal; onWarning?: (message: string) => void },
): Promise<LoadedModels> {
  const plan = threadPlanFor(specs, options.threads);
  if (plan?.warning) (options.onWarning ?? ((m) => process.stderr.write(`${m}\n`)))(plan.warning);
  // A spec's own threads=N is held to the same safe team as --threads.
  const maxThreads = plan ? safeThreadsPerModel(plan.cores, embeddedModelCount(specs)) : undefined;
  options = { ...options, threads: plan?.perModel ?? options.threads, maxThreads };
  const held: (CreatedGenerator | CreatedVerifier)[] = [];
  const dispose = async () => {
    for (const h of held.splice(0).reverse()) await h.dispose();
  };
  try {
    const policy = await createGenerator(specs.policy, { ...options, contexts: plan?.policyContexts });
    held.push(policy);
    const verifier = specs.verifier === null ? undefined : await createVerifier(specs.verifier, { ...options, policy: policy.generator });
    if (verifier) held.push(verifier);
    const reviser = specs.reviser === null ? undefined : await createGenerator(specs.reviser, options);
    if (reviser) held.push(reviser);
    return {
      generator: policy.generator,
      ...(verifier ? { verifier: verifier.verifier } : {}),
      ...(reviser ? { reviser: reviser.generator } : {}),
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** The thread plan for the embedded models among `specs`; undefined when every model is behind HTTP. */
export function threadPlanFor(specs: ModelSpecs, requested: number | undefined, cores?: number): ThreadPlan | undefined {
  const models = embeddedModelCount(specs);
  return models === 0 ? undefined : planThreads({ models, requested, ...(cores === undefined ? {} : { cores }) });
}

/** How many of the named models run on the embedded engine (each its own llama.cpp context and thread team). */
export function embeddedModelCount({ policy, verifier, reviser }: ModelSpecs): number {
  const generator = (spec: string | null) => (spec !== null && !isHttp(spec.trim()) ? 1 : 0);
  let count = generator(policy) + generator(reviser);
  if (verifier !== null) {
    const text = verifier.trim();
    const colon = text.indexOf(":");
    const kind = colon < 0 ? text : text.slice(0, colon);
    const target = colon < 0 ? "" : text.slice(colon + 1);
    // A bare GGUF path is a token PRM; likelihood loads its own model (the revision model unless named).
    if (kind === "prm" || kind === "orm" || kind === "likelihood" || kind.split("?")[0]!.endsWith(".gguf")) count++;
    else if (kind === "judge") count += generator(target);
    // self-certainty scores with the embedded policy itself, unless it names a model (or the policy is remote).
    else if (kind === "self-certainty") count += target !== "" ? generator(target) : generator(policy) === 1 ? 0 : 1;
  }
  return count;
}
