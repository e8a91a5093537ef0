import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, found from this file so the default works from any working directory. */
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** Real recorded samples of a strong math model (100 MATH problems × 8), kept beside the repository in the shared data. */
export const DEFAULT_SAMPLES_PATH = join(REPO_ROOT, "..", "shared", "data", "qwen-math-samples", "math_cot_100.jsonl");
