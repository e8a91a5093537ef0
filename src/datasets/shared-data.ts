import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DatasetError } from "./errors/dataset-error.js";

/** The repository root, found from this file's place in it (not from the working directory). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The benchmark data shared beside the repository: `<repo>/../shared/data`. */
export const SHARED_DATA_DIR = resolve(REPO_ROOT, "../shared/data");

/**
 * Absolute path of a file in the shared benchmark data. Throws a DatasetError naming the path
 * when it is missing, so tests that need the data fail loudly rather than pass or skip.
 */
export function sharedDataPath(relative: string): string {
  const path = join(SHARED_DATA_DIR, relative);
  if (!existsSync(path)) {
    const ci = process.env.CI ? " (CI is set: this data is required)" : "";
    throw new DatasetError({ file: path, problem: `shared benchmark data not found${ci}; it is expected at ../shared/data beside the repository root ${REPO_ROOT}` });
  }
  return path;
}
