import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ModelLoadError } from "../core/errors/model-load-error.js";

/** The package root, found from this file rather than the working directory, so the defaults work from anywhere. */
const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Where the shipped demo models live. */
export const MODELS_DIRECTORY = join(PACKAGE_ROOT, "models");

/** The demo models ponder ships and uses when no model is named. */
export type DemoModelName = "policy-small" | "policy-large" | "prm" | "revision";

export const DEMO_MODEL_NAMES: readonly DemoModelName[] = ["policy-small", "policy-large", "prm", "revision"];

/** Absolute paths of the four demo GGUFs. */
export const defaultModels: Readonly<Record<DemoModelName, string>> = Object.fromEntries(
  DEMO_MODEL_NAMES.map((name) => [name, join(MODELS_DIRECTORY, `${name}.gguf`)]),
) as Record<DemoModelName, string>;

/** Path of a demo model, checked to exist; the error says how to rebuild it. */
export function defaultModelPath(name: DemoModelName): string {
  const path = defaultModels[name];
  if (!existsSync(path)) {
    throw new ModelLoadError({ path, reason: "missing-file", message: `demo model ${name} not found at ${path}; rebuild it with the commands in training/README.md` });
  }
  return path;
}
