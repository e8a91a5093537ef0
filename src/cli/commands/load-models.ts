import { createGenerator, type CreatedGenerator, type EngineDefaults } from "../../backends/create-generator.js";
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

/** Loads the policy, verifier and reviser together; when one fails, those already loaded are freed before the error propagates. */
export async function loadModels(specs: ModelSpecs, options: EngineDefaults & { answers?: AnswerReader; signal?: AbortSignal }): Promise<LoadedModels> {
  const held: (CreatedGenerator | CreatedVerifier)[] = [];
  const dispose = async () => {
    for (const h of held.splice(0).reverse()) await h.dispose();
  };
  try {
    const policy = await createGenerator(specs.policy, options);
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
