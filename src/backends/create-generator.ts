import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { Generator } from "../core/generator.js";
import type { PromptTemplate } from "../core/prompt-template.js";
import { defaultModelPath, type DemoModelName } from "../models/default-models.js";
import { templateByName, templates } from "../templates/templates.js";
import { LlamaEngine } from "./llama/llama-engine.js";
import { LlamaGenerator } from "./llama/llama-generator.js";
import { availableCores, oversubscriptionWarning } from "./llama/thread-plan.js";
import { OpenAIClient, type RetryEvent } from "./openai/openai-client.js";
import { OpenAIGenerator } from "./openai/openai-generator.js";
import { REPLICA_KEYS, REPLICA_SPEC_HELP, readReplicaList } from "./openai/replica-list.js";
import { REPLICA_ROUTES } from "./openai/replica-route.js";
import { ReplicaSet, type ReplicaEvent } from "./openai/replica-set.js";
import { ReplicaSetGenerator, sessionHeaderFetch } from "./openai/replica-set-generator.js";
import { SERVER_KINDS } from "./openai/server-kind.js";
import { SpecOptions } from "./spec-options.js";

/** `ponder … --help` text for a generator spec. */
export const GENERATOR_SPEC_HELP = `A generator (policy model) is one of:
  policy-small | policy-large | revision      a demo model shipped in models/
  <file.gguf>[?opts]                          a GGUF file on the embedded llama.cpp engine
  hf:<user>/<repo>/<file.gguf>[?opts]         a GGUF from the Hugging Face Hub (downloaded once)
  http(s)://<host>/v1?model=<name>[&opts]     any OpenAI-compatible server (vLLM, SGLang,
                                              llama.cpp server, Ollama, OpenAI)
Options are key=value pairs after "?", joined by "&", percent-encoded ("+" is a plus sign).
  Embedded: template=${Object.keys(templates).join("|")} (default ponder-demo), threads=N (1),
            sequences=N (8), context=N (tokens per sequence), exact=1 (F32 KV cache),
            contexts=N (a policy's problems spread over N contexts of its model, each a decode
            thread of its own; default: one per core when models get one thread each)
  HTTP:     model=NAME (checked against the server's list; default the first it lists),
            server=${SERVER_KINDS.join("|")} (default: detected from /v1/models),
            api=completions|chat, template=NAME (completions layout; default plain), system=TEXT (chat),
            prefill=continue-final-message|last-assistant|none (chat; default the server's way),
            n=emulate|native|auto, params=N (model parameters, for FLOPs; llama.cpp reports its own),
            key-env=VAR (API key variable, default OPENAI_API_KEY), concurrency=N (8), retries=N (3),
            timeout=MS (120000)
Examples:
  models/policy-small.gguf?threads=2
  http://localhost:8080/v1?model=policy-small&template=ponder-demo      (llama-server -m models/policy-small.gguf)
  http://localhost:8000/v1?model=Qwen/Qwen2.5-1.5B-Instruct&template=chatml&params=1.5e9
  https://api.openai.com/v1?model=gpt-4o-mini&api=chat&prefill=none&key-env=OPENAI_API_KEY
${REPLICA_SPEC_HELP}`;

export interface CreateGeneratorOptions extends EngineDefaults {
  /** The prompt template when the spec names none. */
  template?: PromptTemplate;
  /** The chat system message when the spec sets none. */
  system?: string;
  /** Told of HTTP retries (progress). */
  onRetry?: (event: RetryEvent) => void;
  /** Told when a replica of a replica set is taken out or put back (default: a line on stderr). */
  onReplicaEvent?: (event: ReplicaEvent) => void;
  /** Swappable fetch for HTTP generators. */
  fetch?: typeof globalThis.fetch;
  signal?: AbortSignal;
}

export interface CreatedGenerator {
  generator: Generator;
  /** Frees what the generator holds (the embedded engine's model and context). */
  dispose(): Promise<void>;
}

const DEMO_POLICIES: readonly DemoModelName[] = ["policy-small", "policy-large", "revision"];
const EMBEDDED_KEYS = ["template", "threads", "sequences", "context", "exact"];
/** A policy's spec may also spread its problems over several contexts of its model. */
const EMBEDDED_POLICY_KEYS = [...EMBEDDED_KEYS, "contexts"];
/** The most memory extra contexts of a policy take when their number is chosen for it (their KV caches; the weights are shared). */
const AUTO_CONTEXTS_BYTES = 512 * 2 ** 20;
export const HTTP_CLIENT_KEYS = ["key-env", "concurrency", "retries", "timeout"];
const HTTP_KEYS = ["model", "server", "api", "template", "system", "prefill", "n", "params", ...HTTP_CLIENT_KEYS];

/**
 * A Generator from a spec string (see GENERATOR_SPEC_HELP), for the CLI, the server and configs.
 * @example const { generator, dispose } = await createGenerator("http://localhost:8000/v1?model=qwen&template=chatml");
 */
export async function createGenerator(spec: string, options: CreateGeneratorOptions = {}): Promise<CreatedGenerator> {
  if (typeof spec !== "string" || spec.trim() === "") throw new InvalidOptionError({ field: "generator", value: spec, accepted: "a generator spec (see --help)" });
  const o = new SpecOptions(spec.trim(), "generator");
  if (isHttp(o.base) || o.base === "replicas") {
    const replicated = o.base.includes(",") || REPLICA_KEYS.some((k) => o.has(k));
    const client = replicated ? clientSettings(o) : undefined;
    const route = o.oneOf("route", REPLICA_ROUTES) ?? "affinity";
    const sessionHeader = o.string("session-header");
    const probeMs = o.number("probe", { min: 1 });
    const entries = replicated ? readReplicaList(o) : [];
    const settings = {
      server: serverKind(o),
      model: o.string("model"),
      api: o.oneOf("api", ["completions", "chat"] as const),
      template: o.has("template") ? templateByName(o.string("template")!) : options.template,
      system: o.string("system") ?? options.system,
      prefill: o.oneOf("prefill", ["continue-final-message", "last-assistant", "none"] as const),
      n: o.oneOf("n", ["emulate", "native", "auto"] as const),
      parameters: o.number("params", { min: 0 }),
    };
    if (!replicated) {
      const single = { ...settings, client: createClient(o, options) };
      o.finish(HTTP_KEYS);
      return { generator: await OpenAIGenerator.connect(single, options.signal), dispose: async () => {} };
    }
    o.finish([...HTTP_KEYS, ...REPLICA_KEYS]);
    const fetch = sessionHeader ? sessionHeaderFetch(sessionHeader, options.fetch) : options.fetch;
    const set = await ReplicaSet.open<Generator>({
      entries,
      route,
      ...(probeMs !== undefined ? { probeMs } : {}),
      onEvent: options.onReplicaEvent ?? printReplicaEvent,
      connect: (entry) =>
        OpenAIGenerator.connect(
          {
            ...settings,
            client: new OpenAIClient({ ...client, baseURL: entry.url, ...(entry.concurrency ? { maxConcurrency: entry.concurrency } : {}), retryUnreachable: false, onRetry: options.onRetry ?? printRetry, fetch }),
          },
          options.signal,
        ),
    });
    const generator = new ReplicaSetGenerator(set, { waitMs: client?.timeoutMs ?? 120_000 });
    return { generator, dispose: async () => generator.close() };
  }
  const template = o.has("template") ? templateByName(o.string("template")!) : (options.template ?? templateByName("ponder-demo"));
  const asked = o.number("contexts", { integer: true, min: 1 });
  const engine = await loadEngine(o, DEMO_POLICIES.includes(o.base as DemoModelName) ? defaultModelPath(o.base as DemoModelName) : o.base, options, EMBEDDED_POLICY_KEYS);
  // Chosen contexts (options.contexts, from the thread plan) are only taken while their KV caches stay small.
  const affordable = 1 + Math.floor(AUTO_CONTEXTS_BYTES / Math.max(1, engine.kvCacheBytes));
  const contexts = asked ?? Math.max(1, Math.min(options.contexts ?? 1, affordable));
  const engines = [engine];
  const dispose = async () => {
    for (const e of engines.splice(0).reverse()) await e.dispose();
  };
  try {
    while (engines.length < contexts) engines.push(await engine.sibling());
  } catch (error) {
    await dispose();
    throw error;
  }
  return { generator: new LlamaGenerator(engines, template), dispose };
}

export function isHttp(base: string): boolean {
  return /^https?:\/\//i.test(base);
}

/** An OpenAI client from a spec's HTTP options; retries are told on stderr unless `onRetry` takes them. */
export function createClient(o: SpecOptions, { onRetry = printRetry, fetch }: { onRetry?: (event: RetryEvent) => void; fetch?: typeof globalThis.fetch }): OpenAIClient {
  return new OpenAIClient({ baseURL: o.base, ...clientSettings(o), onRetry, fetch });
}

/** The client options a spec sets (key variable, concurrency, retries, timeout). */
function clientSettings(o: SpecOptions) {
  return {
    apiKeyEnv: o.string("key-env"),
    maxConcurrency: o.number("concurrency", { integer: true, min: 1 }),
    maxRetries: o.number("retries", { integer: true, min: 0 }),
    timeoutMs: o.number("timeout", { min: 1 }),
  };
}

/** One line when a replica leaves or rejoins its set. */
export function printReplicaEvent(e: ReplicaEvent): void {
  const what = e.type === "taken-out" ? `taken out (${e.detail.slice(0, 200)}); probing it` : "put back";
  process.stderr.write(`ponder: replica ${e.url} ${what}; ${e.up} of ${e.of} in the set\n`);
}

/** The spec's `server=` kind, or undefined to detect it. */
export function serverKind(o: SpecOptions) {
  return o.oneOf("server", SERVER_KINDS);
}

/** One line per retry, so a slow or failing server is never silent. */
export function printRetry(e: RetryEvent): void {
  const status = e.status === null ? e.reason : `HTTP ${e.status}`;
  process.stderr.write(`ponder: ${e.method} ${e.url}: ${status} (${e.detail.slice(0, 160)}); retry ${e.attempt} of ${e.maxRetries} in ${(e.delayMs / 1000).toFixed(1)} s\n`);
}

/** Engine settings a caller defaults and a spec's own options override. */
export interface EngineDefaults {
  /** CPU threads of an embedded engine (default 1). */
  threads?: number | undefined;
  /**
   * Contexts an embedded policy spreads its problems over (each its own KV cache and decode thread,
   * the weights shared; LlamaEngine.sibling), unless its spec sets `contexts=N`; taken only while
   * the extra KV caches stay under 512 MiB. Default 1. Policies only.
   */
  contexts?: number | undefined;
  /** Sequences an embedded engine decodes together. */
  sequences?: number | undefined;
  /** Tokens per sequence of an embedded engine. */
  contextSize?: number | undefined;
  /**
   * The most threads a spec's own `threads=N` may give one embedded model (the thread plan's safe
   * team, thread-plan.ts); more is lowered to it and `onWarning` told why. Unset: no limit.
   */
  maxThreads?: number | undefined;
  onWarning?: ((message: string) => void) | undefined;
}

/** An embedded engine from a path (or hf: URI) and a spec's engine options; checks the options before loading. */
export async function loadEngine(o: SpecOptions, model: string, defaults: EngineDefaults, accepted: readonly string[]): Promise<LlamaEngine> {
  const asked = o.number("threads", { integer: true, min: 1 });
  let threads = asked ?? defaults.threads ?? 1;
  if (asked !== undefined && defaults.maxThreads !== undefined && asked > defaults.maxThreads) {
    threads = defaults.maxThreads;
    const message = oversubscriptionWarning({ requested: asked, perModel: threads, models: 1, cores: availableCores(), setting: `${model}?threads=${asked}` });
    (defaults.onWarning ?? ((m) => process.stderr.write(`${m}\n`)))(message);
  }
  const settings = {
    model,
    threads,
    sequences: o.number("sequences", { integer: true, min: 1 }) ?? defaults.sequences,
    contextSize: o.number("context", { integer: true, min: 8 }) ?? defaults.contextSize,
    exact: o.boolean("exact"),
  };
  o.finish(accepted);
  return LlamaEngine.load(settings);
}
