import { existsSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { DatasetError } from "./errors/dataset-error.js";

/** The repository (or installed package) root, found from this file's place in it (not from the working directory). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The benchmark data shared beside the repository: `<repo>/../shared/data`. */
export const SHARED_DATA_DIR = resolve(REPO_ROOT, "../shared/data");

/**
 * Whether this code runs from a checkout of the repository rather than from an installed package.
 * Installed, `../shared` would be `node_modules/shared`: some other package, never ponder's data.
 */
export const IN_CHECKOUT = !REPO_ROOT.split(sep).includes("node_modules");

/**
 * A file of the shared benchmark data when this is a checkout that has it, else undefined: the
 * repository's tests and benchmarks read it; installed, ponder fetches its data instead.
 */
export function checkoutSharedData(relative: string, dir = SHARED_DATA_DIR): string | undefined {
  if (!IN_CHECKOUT && dir === SHARED_DATA_DIR) return undefined;
  const path = join(dir, relative);
  return existsSync(path) ? path : undefined;
}

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
