import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { cacheRoot } from "../../core/cache-root.js";
import { checkoutSharedData } from "../../datasets/shared-data.js";
import { InvalidRecordedSamplesError } from "./errors/invalid-recorded-samples-error.js";

/**
 * `ponder replay`'s default data: 100 MATH problems × 8 samples of a strong math model, from
 * Qwen2.5-Math's evaluation examples (MIT), pinned by commit and checked by its SHA-256.
 */
export const DEFAULT_SAMPLES = {
  url: "https://raw.githubusercontent.com/QwenLM/Qwen2.5-Math/a45202bd16f1ec06f433442dc1152d0074773465/evaluation/data/eval_rm_maj_example/math_cot_100.jsonl",
  sha256: "5b9128525733336c4b5bf5d3222f72b18655a305258dc09c301b546e9365ba5e",
  /** Its place in the repository's shared benchmark data and in the user's cache. */
  relative: "qwen-math-samples/math_cot_100.jsonl",
} as const;

export interface DefaultSamplesOptions {
  /** Where a checkout's shared benchmark data is looked for first (default ../shared/data; never beside an installed package). */
  sharedDir?: string;
  /** Root of the cache (default: see cacheRoot). */
  cacheDir?: string;
  /** Swappable fetch. */
  fetch?: typeof globalThis.fetch;
  /** Told before a download starts. */
  onDownload?: (url: string) => void;
}

/**
 * Path of the default recorded samples: the shared data beside a checkout when present, else the
 * user's cached copy, else downloaded once into the cache. A download whose hash differs is refused.
 */
export async function defaultSamplesPath(options: DefaultSamplesOptions = {}): Promise<string> {
  const shared = checkoutSharedData(DEFAULT_SAMPLES.relative, options.sharedDir);
  if (shared !== undefined) return shared;
  const cached = join(cacheRoot(options.cacheDir), "replay", DEFAULT_SAMPLES.relative);
  if (existsSync(cached) && sha256(readFileSync(cached)) === DEFAULT_SAMPLES.sha256) return cached;

  options.onDownload?.(DEFAULT_SAMPLES.url);
  const fail = (reason: string, cause?: unknown) =>
    new InvalidRecordedSamplesError({ file: DEFAULT_SAMPLES.url, line: 0, reason: `${reason}; give a recorded-samples file instead (ponder replay <file>)`, cause });
  let body: Buffer;
  try {
    const response = await (options.fetch ?? globalThis.fetch)(DEFAULT_SAMPLES.url, { redirect: "follow" });
    if (!response.ok) throw fail(`download failed: HTTP ${response.status} ${response.statusText}`);
    body = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    if (error instanceof InvalidRecordedSamplesError) throw error;
    throw fail(`download failed (${(error as Error).message}); offline?`, error);
  }
  const hash = sha256(body);
  if (hash !== DEFAULT_SAMPLES.sha256) throw fail(`downloaded file has SHA-256 ${hash}, expected ${DEFAULT_SAMPLES.sha256}`);
  await mkdir(dirname(cached), { recursive: true });
  // Written whole then renamed, so an interrupted download never leaves a truncated cache entry.
  const partial = `${cached}.${process.pid}.partial`;
  await writeFile(partial, body);
  await rename(partial, cached);
  return cached;
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
