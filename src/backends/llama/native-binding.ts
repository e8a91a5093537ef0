import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cacheRoot } from "../../core/cache-root.js";

/** The llama_context behind a node-llama-cpp context, as the addon holds it. */
export type NativeContext = { readonly __brand: "NativeContext" };
/** A sampler chain of the addon's. */
export type NativeSampler = { readonly __brand: "NativeSampler" };

/** ponder's native addon (native/ponder-native.cc). */
export interface NativeBinding {
  contextHandle(addonContext: unknown, sequences: number): NativeContext;
  createSampler(context: NativeContext, temperature: number, topK: number, topP: number, minP: number, seed: number): NativeSampler;
  step(
    context: NativeContext,
    operations: Int32Array,
    tokens: Int32Array,
    positions: Int32Array,
    seqIds: Int32Array,
    jobs: readonly (readonly unknown[])[],
    maxSteps: number,
  ): Promise<{ results: unknown[]; steps: number; tokens: number }>;
  /** Ends the step in flight on `context` after the decode it is running. */
  interrupt(context: NativeContext): void;
}

const require = createRequire(import.meta.url);
let loaded: { binding: NativeBinding | null } | undefined;

/**
 * ponder's native decode step, when it is built for this node-llama-cpp (`scripts/build-native.sh`
 * puts it in ponder's cache); null otherwise, and the engine runs node-llama-cpp's own per-token
 * path. `PONDER_NATIVE=off` never loads it; `PONDER_NATIVE=<path>` loads that file.
 */
export function nativeBinding(): NativeBinding | null {
  loaded ??= load();
  return loaded.binding;
}

/** Where the addon for this checkout and node-llama-cpp version is, or would be, built. */
export function nativeAddonPath(): string | null {
  const root = packageRoot();
  const source = join(root, "native/ponder-native.cc");
  let version: string;
  try {
    version = (JSON.parse(readFileSync(join(dirname(require.resolve("node-llama-cpp")), "../package.json"), "utf8")) as { version: string }).version;
  } catch {
    return null;
  }
  if (!existsSync(source)) return null;
  const hash = createHash("sha256").update(readFileSync(source)).digest("hex").slice(0, 16);
  return join(cacheRoot(), "native", `nlc-${version}-${hash}`, "ponder-native.node");
}

function load(): { binding: NativeBinding | null } {
  const setting = process.env.PONDER_NATIVE;
  if (setting === "off" || setting === "0") return { binding: null };
  const path = setting && setting !== "on" && setting !== "1" ? setting : nativeAddonPath();
  if (!path || !existsSync(path)) {
    if (setting && setting !== "on" && setting !== "1") throw new Error(`PONDER_NATIVE=${setting}: no such file`);
    return { binding: null };
  }
  return { binding: require(path) as NativeBinding };
}

/** The package's root folder (holding native/), from this file in src/ or dist/. */
function packageRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), "../../..");
}
