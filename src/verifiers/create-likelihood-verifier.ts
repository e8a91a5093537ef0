import { loadEngine, type EngineDefaults } from "../backends/create-generator.js";
import { SpecOptions } from "../backends/spec-options.js";
import { defaultModelPath, type DemoModelName } from "../models/default-models.js";
import { templateByName, templates } from "../templates/templates.js";
import type { CreatedVerifier } from "./create-verifier.js";
import { LikelihoodVerifier } from "./likelihood-verifier.js";

/** The spec's line in `ponder … --help` (VERIFIER_SPEC_HELP). */
export const LIKELIHOOD_SPEC_HELP = `  likelihood[:<model>[?opts]]             a language model's own probability of the steps (no reward
                                          head; default: the shipped revision model); model: revision,
                                          policy-large, policy-small, a GGUF path or hf:…; template=${Object.keys(templates).join("|")}`;

const DEMO_MODELS: readonly DemoModelName[] = ["policy-small", "policy-large", "revision"];

/**
 * `likelihood[:<model>[?template=…&threads=…]]`: a LikelihoodVerifier on the embedded engine.
 * @example await createLikelihoodVerifier("revision?threads=2", {})
 */
export async function createLikelihoodVerifier(target: string, defaults: EngineDefaults): Promise<CreatedVerifier> {
  const o = new SpecOptions(target || "revision", "verifier likelihood");
  const template = templateByName(o.string("template") ?? "ponder-demo");
  const path = DEMO_MODELS.includes(o.base as DemoModelName) ? defaultModelPath(o.base as DemoModelName) : o.base;
  const engine = await loadEngine(o, path, defaults, ["template", "threads", "sequences", "context", "exact"]);
  return { verifier: new LikelihoodVerifier({ engine, template }), dispose: () => engine.dispose() };
}
