import { existsSync } from "node:fs";
import { open, stat } from "node:fs/promises";
import type { Llama, LlamaContext, LlamaModel } from "node-llama-cpp";
import type { Token } from "./token.js";
import { AbortedError, throwIfAborted } from "../../core/errors/aborted-error.js";
import { ContextOverflowError } from "../../core/errors/context-overflow-error.js";
import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import { ModelLoadError } from "../../core/errors/model-load-error.js";
import { deriveSeed, createRng } from "../../core/rng.js";
import { confidenceOf, type ConfidenceSignal } from "../../core/token-confidence.js";
import { ContextDriver, type SampledToken } from "./context-driver.js";
import { nativeAddonPath, nativeBinding, type NativeBinding } from "./native-binding.js";
import { sampleToken } from "./sample-token.js";
import { SequencePool, type Lease } from "./sequence-pool.js";
import { modelLogprobs, modelLogprobsFromLogits, type ModelLogprobs } from "./top-logprobs.js";
import { availableCores, warnIfOversubscribed } from "./thread-plan.js";

/** Floats of next-token logits kept for prompts evaluated recently (16 MB). */
const NEXT_LOGITS_FLOATS = 4_000_000;

export interface LlamaEngineOptions {
  /** A GGUF file path, or an `hf:` URI that node-llama-cpp resolves (and downloads once) for users who are online. */
  model: string;
  /**
   * llama.cpp threads this model decodes with (its own team, like llama.cpp's `-t`; default 1). All
   * engines of a process share a budget of the available cores (context-driver.ts): a decode waits
   * until its team fits rather than run more threads than cores, and a value above the cores is
   * lowered to them (node-llama-cpp's Llama `maxThreads`) with a warning. Choose it for all models
   * together with planThreads (thread-plan.ts): more than (cores − 1) / models makes llama.cpp's
   * spinning barriers collapse.
   */
  threads?: number;
  /** Sequences decoded together in one batch; requests beyond this wait for a free one. */
  sequences?: number;
  /** Tokens per sequence (prompt plus completion); defaults to the model's training context, at most 4096. */
  contextSize?: number;
  /**
   * Exact mode (the default): F32 KV cache and no flash attention. Logits then agree to ~1e-6
   * whether a prefix came from the KV cache or was evaluated afresh, so a seed reproduces its
   * result whatever was cached before. `false` (F16 cache, flash attention) is ~30% faster here
   * but differs by ~2e-3 in logits between those paths, enough to flip an occasional sampled token.
   */
  exact?: boolean;
  /**
   * Run each decode step in ponder's native addon (native/ponder-native.cc, built by
   * `scripts/build-native.sh`), which also samples every sequence's next token on the worker
   * thread. `true` requires it; `false` uses node-llama-cpp's addon alone (one async sampling call
   * per sequence and token); unset, the native addon when it is built. Both draw the same tokens.
   */
  native?: boolean;
  /** The id usage is recorded under; defaults to the file name. */
  modelId?: string;
  /** Where `hf:` models are stored. */
  modelsDirectory?: string;
}

export interface EngineSampling {
  temperature: number;
  topP?: number;
  minP?: number;
  topK?: number;
  seed: number;
  maxTokens: number;
}

/** Options of one completion besides its sampling. */
export interface CompleteOptions {
  sampling: EngineSampling;
  stop?: readonly string[];
  /** Return each token's log-probability under the sampling distribution. */
  logprobs?: boolean;
  /** Measure each token's confidence (core/token-confidence.ts) by this signal, `top-k` from the model's `topK` most likely candidates. */
  confidence?: { signal: ConfidenceSignal; topK: number };
  /** Sees each generated token as it is written; "stop" ends the completion at once (finishReason `stopped`) and frees its sequence. */
  onToken?: (token: { count: number; confidence?: number }) => "stop" | void;
  signal?: AbortSignal;
}

export interface EngineCompletion {
  /** Decoded text of the generated tokens, cut before the stop string that ended it. */
  text: string;
  /** `stop`: a stop string appeared; `end`: an end-of-generation token; `length`: maxTokens reached; `stopped`: onToken stopped it. */
  finishReason: "stop" | "end" | "length" | "stopped";
  completionTokens: number;
  /** The generated token ids (an end-of-generation token that stopped it excluded). */
  tokens: Token[];
  promptTokens: number;
  cachedPromptTokens: number;
  /** Natural log-probability of each generated token under the sampling distribution, when asked for. */
  tokenLogprobs?: number[];
  /** Confidence of each generated token (core/token-confidence.ts), when asked for. */
  tokenConfidences?: number[];
}

/** One loaded GGUF model with a context of many sequences, shared by every generator and verifier built on it. */
export class LlamaEngine {
  readonly modelId: string;
  /** Parameters of the model (the N in 2·N·D FLOPs). */
  readonly parameters: number;
  readonly contextSize: number;
  readonly path: string;
  readonly #llama: Llama;
  readonly #model: LlamaModel;
  readonly #context: LlamaContext;
  readonly #driver: ContextDriver;
  readonly #pool: SequencePool;
  /** Single-character tokens, when the vocabulary has no byte fallback and unknown characters must be replaced. */
  readonly #safeChars: Set<string> | null;
  /** Next-token logits of recently evaluated prompts, by prompt (see complete). */
  readonly #nextLogits = new Map<string, Promise<Float32Array | null>>();
  /** The vocabulary size, as the first logits evaluated showed it. */
  #vocabSize = 1;
  /** How this engine's context was made (for siblings), and the engines that share its model (it is freed with the last). */
  readonly #open: ContextOpening;
  readonly #sharing: { engines: number };

  private constructor(init: LoadedModel & { context: LlamaContext; driver: ContextDriver; pool: SequencePool }) {
    this.#open = init.open;
    this.#sharing = init.sharing;
    init.sharing.engines++;
    this.modelId = init.modelId;
    this.parameters = init.parameters;
    this.path = init.path;
    this.#llama = init.llama;
    this.#model = init.model;
    this.#context = init.context;
    this.#driver = init.driver;
    this.#pool = init.pool;
    this.#safeChars = init.safeChars;
    this.contextSize = init.context.contextSize;
  }

  /**
   * Loads a model.
   * @example const engine = await LlamaEngine.load({ model: "models/policy-small.gguf", threads: 1, sequences: 16 });
   */
  static async load({ model, threads = 1, sequences = 8, contextSize, exact = true, native, modelId, modelsDirectory }: LlamaEngineOptions): Promise<LlamaEngine> {
    if (!Number.isInteger(threads) || threads < 1) throw new InvalidOptionError({ field: "threads", value: threads, accepted: "an integer ≥ 1" });
    if (!Number.isInteger(sequences) || sequences < 1) throw new InvalidOptionError({ field: "sequences", value: sequences, accepted: "an integer ≥ 1" });
    warnIfOversubscribed(threads);
    const nativeAddon = native === false ? null : requireNative(native);
    const llamaCpp = await nodeLlamaCpp();
    const path = model.startsWith("hf:") ? await llamaCpp.resolveModelFile(model, { directory: modelsDirectory, cli: false }) : model;
    await checkGgufFile(path);
    const info = await llamaCpp.readGgufFileInfo(path, { readTensorInfo: true }).catch((cause: unknown) => {
      throw new ModelLoadError({ path, reason: "not-gguf", message: `${path} is not a valid GGUF file: ${cause instanceof Error ? cause.message : String(cause)}`, cause });
    });
    const architecture = String((info.metadata as { general?: { architecture?: unknown } }).general?.architecture ?? "unknown");
    const parameters = (info.fullTensorInfo ?? info.tensorInfo ?? []).reduce((sum, t) => sum + t.dimensions.reduce((a: number, d) => a * Number(d), 1), 0);
    if (!knownArchitectures(llamaCpp).has(architecture)) {
      throw new ModelLoadError({
        path,
        reason: "unsupported-architecture",
        message: `${path}: llama.cpp does not support the model architecture "${architecture}" (general.architecture)`,
      });
    }
    const llama = await sharedLlama();
    let loaded: LlamaModel;
    try {
      loaded = await llama.loadModel({ modelPath: path });
    } catch (cause) {
      throw new ModelLoadError({ path, reason: "load-failed", message: `${path}: llama.cpp could not load the ${architecture} model (${String(cause)})`, cause });
    }
    const size = contextSize ?? Math.min(loaded.trainContextSize || 4096, 4096);
    if (!Number.isInteger(size) || size < 8) {
      await loaded.dispose();
      throw new ModelLoadError({ path, reason: "context-too-small", message: `${path}: contextSize ${size} is too small; use at least 8 tokens (prompt plus completion)` });
    }
    const tokens = (info.metadata as { tokenizer?: { ggml?: { tokens?: readonly string[]; model?: string } } }).tokenizer?.ggml;
    const open: ContextOpening = { contextSize: size, sequences, threads, exact, vocabSize: tokens?.tokens?.length ?? 0, native: nativeAddon, requireNative: native === true };
    const hasByteFallback = tokens?.tokens?.some((t) => /^<0x[0-9A-F]{2}>$/.test(t)) ?? true;
    const safeChars = tokens?.model === "llama" && !hasByteFallback ? new Set((tokens.tokens ?? []).filter((t) => [...t].length === 1)) : null;
    const modelName = modelId ?? path.split("/").pop()!.replace(/\.gguf$/, "");
    try {
      return await LlamaEngine.#withContext({ modelId: modelName, parameters, path, llama, model: loaded, safeChars, open, sharing: { engines: 0 } });
    } catch (error) {
      await loaded.dispose();
      throw error;
    }
  }

  /**
   * Another engine on this engine's model, with a context of its own made the same way: the
   * weights are shared, the KV cache and the decode thread are not. Several single-thread contexts
   * of one model decode at once on several cores without llama.cpp's spinning thread barriers
   * (LlamaGenerator spreads problems over them). The model is freed with the last engine on it.
   */
  sibling(): Promise<LlamaEngine> {
    return LlamaEngine.#withContext({
      modelId: this.modelId,
      parameters: this.parameters,
      path: this.path,
      llama: this.#llama,
      model: this.#model,
      safeChars: this.#safeChars,
      open: this.#open,
      sharing: this.#sharing,
    });
  }

  /** The KV cache of one context, in bytes (F32 in exact mode, F16 otherwise), from the model's GGUF metadata: what a sibling costs in memory. */
  get kvCacheBytes(): number {
    const { contextSize, sequences, exact } = this.#open;
    return kvCacheBytes(this.#model, contextSize * sequences, exact ? 4 : 2);
  }

  static async #withContext(init: LoadedModel): Promise<LlamaEngine> {
    const { contextSize, sequences, threads, exact, vocabSize, native, requireNative } = init.open;
    const context = await init.model.createContext(contextOptions({ contextSize, sequences, threads, exact }));
    const driver = new ContextDriver(context, init.model, { sequences, vocabSize, native, requireNative });
    const pool = new SequencePool(driver, sequences);
    return new LlamaEngine({ ...init, context, driver, pool });
  }

  get sequences(): number {
    return this.#pool.size;
  }

  /** Token ids of `text`, with the beginning-of-sequence token first when `bos`. Never crashes on characters the vocabulary lacks. */
  tokenize(text: string, { bos = false }: { bos?: boolean } = {}): Token[] {
    const tokens = this.#model.tokenize(this.#safeText(text));
    const first = this.#model.tokens.bos;
    return bos && first != null ? [first, ...tokens] : tokens;
  }

  /** Tokens of a text containing the model's special tokens written out (`<s>`, `<|im_start|>`, …). */
  tokenizeWithSpecials(text: string): Token[] {
    return this.#model.tokenize(this.#safeText(text), true);
  }

  detokenize(tokens: readonly Token[]): string {
    return this.#model.detokenize(tokens);
  }

  /** The single token that `text` is, or undefined when it is not one token. */
  tokenOf(text: string): Token | undefined {
    const tokens = this.#model.tokenize(this.#safeText(text), true);
    return tokens.length === 1 ? tokens[0] : undefined;
  }

  /**
   * Samples a completion of `prompt` until a stop string, an end-of-generation token or `maxTokens`.
   * Concurrent calls are decoded together; a prompt prefix already evaluated in any sequence is reused.
   */
  async complete(prompt: readonly Token[], { sampling, stop = [], logprobs = false, confidence, onToken, signal }: CompleteOptions): Promise<EngineCompletion> {
    throwIfAborted(signal);
    if (prompt.length === 0) throw new InvalidOptionError({ field: "prompt", value: "", accepted: "at least one token" });
    if (prompt.length + sampling.maxTokens > this.contextSize) {
      throw new ContextOverflowError({ modelId: this.modelId, promptTokens: prompt.length, maxTokens: sampling.maxTokens, contextSize: this.contextSize });
    }
    // Requests for one prompt (a beam's children, n samples) share one evaluation of it: the first
    // publishes the next-token logits; the others copy its KV cells, the whole prompt included, and
    // draw their first token from those logits with their own seed. Every request draws its first
    // token that way, so a seed gives the same result whichever request evaluated the prompt.
    const key = prompt.join(",");
    const shared = this.#nextLogits.get(key);
    let publish: ((logits: Float32Array | null) => void) | undefined;
    if (!shared) this.#shareNextLogits(key, new Promise((resolve) => (publish = resolve)));
    let lease: Lease;
    try {
      lease = await this.#pool.acquire(prompt, signal, { maxReuse: shared ? prompt.length : prompt.length - 1 });
    } catch (error) {
      publish?.(null);
      throw error;
    }
    try {
      const generated: Token[] = [];
      const tokenLogprobs: number[] = [];
      const tokenConfidences: number[] = [];
      let text = "";
      let finishReason = "length" as EngineCompletion["finishReason"];
      const options = {
        temperature: sampling.temperature,
        topP: sampling.topP ?? 1,
        minP: sampling.minP ?? 0,
        topK: sampling.topK ?? 0,
        seed: sampling.seed >>> 0,
        yieldEogToken: true,
      };
      let reused = lease.reused;
      let next = shared && reused === prompt.length ? await shared : null;
      if (!next) {
        if (reused === prompt.length) {
          await this.#driver.erase(lease.seq, prompt.length - 1);
          reused = prompt.length - 1;
        }
        next = await this.#evaluatePrompt(lease.seq, reused, prompt.slice(reused));
        publish?.(next);
        publish = undefined;
      }
      lease.prefilled();
      const first = sampleToken(next, options, createRng(deriveSeed(sampling.seed, "first-token"))());
      const accept = (token: Token, logprob: number, model: () => ModelLogprobs): boolean => {
        if (this.#model.isEogToken(token)) {
          finishReason = "end";
          return false;
        }
        generated.push(token);
        if (logprobs) tokenLogprobs.push(logprob);
        let tokenConf: number | undefined;
        if (confidence) {
          const { top, chosen } = model();
          tokenConf = confidenceOf(confidence.signal, top, chosen, confidence.topK);
        }
        if (tokenConf !== undefined) tokenConfidences.push(tokenConf);
        text = this.#model.detokenize(generated);
        const cut = firstStop(text, stop);
        const verdict = onToken?.(tokenConf === undefined ? { count: generated.length } : { count: generated.length, confidence: tokenConf });
        if (cut !== undefined) {
          text = text.slice(0, cut);
          finishReason = "stop";
          return false;
        }
        if (generated.length >= sampling.maxTokens) return false;
        if (verdict === "stop") {
          finishReason = "stopped";
          return false;
        }
        return true;
      };
      // Confidence reads the model's whole next-token distribution: from the prompt's logits for the
      // first token, from the sampler's probabilities (which draw the same tokens) for the rest.
      const topK = confidence?.topK ?? 0;
      const firstModel = () => modelLogprobsFromLogits(next!, topK, first.token);
      if (accept(first.token as Token, first.logprob, firstModel)) {
        // The rest: each step feeds the last token and draws the next with the completion's own
        // sampler chain (node-llama-cpp's for these settings, seeded once). Without confidence or
        // onToken, which look at every token as it comes, the native step may go on by itself for
        // several tokens (up to the limit, stopping where a stop string appears); they are taken
        // here one by one all the same, and any drawn past the end are dropped.
        const sampler = this.#driver.sampler(options);
        const goOn = confidence === undefined && onToken === undefined;
        const window = Math.max(0, ...stop.map((s) => s.length)) - 1;
        try {
          let token = first.token as Token;
          let position = prompt.length;
          for (let going = true; going; ) {
            const limit = sampling.maxTokens - generated.length;
            const output = {
              kind: "sample",
              index: 0,
              sampler,
              probabilities: confidence !== undefined,
              confidence: logprobs,
              ...(goOn && limit > 1 ? { goOn: { limit, stops: stop, text: window > 0 ? text.slice(-window) : "" } } : {}),
            } as const;
            const [run] = (await this.#driver.decode(lease.seq, position, [token], [output])) as [SampledToken[]];
            if (signal?.aborted) throw new AbortedError({ cause: signal.reason });
            position += run.length;
            for (const result of run) {
              if (result.token === null) throw new Error(`${this.modelId}: the sampler left no token to draw`);
              token = result.token;
              const model = () => modelLogprobs(result.probabilities!, sampling.temperature, topK, token);
              going = accept(token, Math.log(result.confidence ?? NaN), model);
              if (!going) break;
            }
          }
        } finally {
          sampler.dispose();
        }
      }
      const promptTokens = prompt.length - reused;
      return {
        text,
        finishReason,
        completionTokens: generated.length + (finishReason === "end" ? 1 : 0),
        tokens: generated,
        promptTokens,
        cachedPromptTokens: reused,
        ...(logprobs ? { tokenLogprobs } : {}),
        ...(confidence ? { tokenConfidences } : {}),
      };
    } finally {
      publish?.(null);
      lease.release();
    }
  }

  /** Evaluates `tokens` at position `start` on of sequence `seq` and returns the logits after the last, indexed by token id. */
  async #evaluatePrompt(seq: number, start: number, tokens: readonly Token[]): Promise<Float32Array> {
    const [logits] = (await this.#driver.decode(seq, start, tokens, [{ kind: "logits", index: tokens.length - 1 }])) as [Float32Array];
    this.#vocabSize = Math.max(this.#vocabSize, logits.length);
    return logits;
  }

  /** Keeps recent prompts' next-token logits for requests of the same prompt, within NEXT_LOGITS_FLOATS. */
  #shareNextLogits(key: string, logits: Promise<Float32Array | null>): void {
    this.#nextLogits.set(key, logits);
    const vocab = Math.max(1, this.#vocabSize);
    while (this.#nextLogits.size > Math.max(8, Math.floor(NEXT_LOGITS_FLOATS / vocab))) this.#nextLogits.delete(this.#nextLogits.keys().next().value!);
    void logits.then((l) => {
      if (l === null && this.#nextLogits.get(key) === logits) this.#nextLogits.delete(key);
    });
  }

  /**
   * Raw logits of chosen tokens at chosen positions of `tokens`, in one forward pass:
   * `queries[i]` asks, after `tokens[position]`, for the logits of `candidates` as the next token.
   * What token process reward models need.
   */
  async logitsAt(
    tokens: readonly Token[],
    queries: readonly { position: number; candidates: readonly Token[] }[],
    signal?: AbortSignal,
  ): Promise<{ logits: number[][]; promptTokens: number; cachedPromptTokens: number }> {
    throwIfAborted(signal);
    if (tokens.length > this.contextSize) throw new ContextOverflowError({ modelId: this.modelId, promptTokens: tokens.length, maxTokens: 0, contextSize: this.contextSize });
    for (const q of queries) {
      if (!Number.isInteger(q.position) || q.position < 0 || q.position >= tokens.length) {
        throw new InvalidOptionError({ field: "position", value: q.position, accepted: `an index in [0, ${tokens.length})` });
      }
    }
    const earliest = Math.min(...queries.map((q) => q.position));
    const lease = await this.#pool.acquire(tokens, signal, { maxReuse: Math.min(earliest, tokens.length - 1) });
    try {
      const outputs = queries.map((q) => ({ kind: "logits", index: q.position - lease.reused, filter: q.candidates }) as const);
      const read = await this.#driver.decode(lease.seq, lease.reused, tokens.slice(lease.reused), outputs);
      lease.prefilled();
      const logits = read.map((values) => Array.from(values as Float32Array));
      return { logits, promptTokens: tokens.length - lease.reused, cachedPromptTokens: lease.reused };
    } finally {
      lease.release();
    }
  }

  /**
   * The model's own log-probabilities where it read each token of `tokens` from index `from` (≥ 1)
   * on: for token i, its top `k` and token i's own, after `tokens[0, i)`. One forward pass, a prefix
   * already in the KV cache reused. What self-certainty scoring needs.
   */
  async logprobsAt(tokens: readonly Token[], from: number, k: number, signal?: AbortSignal): Promise<{ logprobs: ModelLogprobs[]; promptTokens: number; cachedPromptTokens: number }> {
    throwIfAborted(signal);
    if (tokens.length > this.contextSize) throw new ContextOverflowError({ promptTokens: tokens.length, maxTokens: 0, contextSize: this.contextSize });
    if (!Number.isInteger(from) || from < 1 || from > tokens.length) throw new InvalidOptionError({ field: "from", value: from, accepted: `an index in [1, ${tokens.length}]` });
    if (from === tokens.length) return { logprobs: [], promptTokens: 0, cachedPromptTokens: 0 };
    const lease = await this.#pool.acquire(tokens, signal, { maxReuse: from - 1 });
    try {
      const outputs = Array.from({ length: tokens.length - from }, (_, j) => ({ kind: "logits", index: from - 1 + j - lease.reused }) as const);
      const read = await this.#driver.decode(lease.seq, lease.reused, tokens.slice(lease.reused, tokens.length - 1), outputs);
      lease.prefilled();
      // Raw logits are a distribution at temperature 1.
      const logprobs = read.map((values, j) => modelLogprobs(logitsAsWeights(values as Float32Array), 1, k, tokens[from + j]!));
      return { logprobs, promptTokens: tokens.length - 1 - lease.reused, cachedPromptTokens: lease.reused };
    } finally {
      lease.release();
    }
  }

  /** Whether decode steps run in ponder's native addon (see LlamaEngineOptions.native). */
  get native(): boolean {
    return this.#driver.native;
  }

  /**
   * Decode steps run so far, the tokens they evaluated (every concurrent request's tokens share a
   * step), and the calls to the decode thread that ran them (the native step runs generations on by
   * itself for several steps per call).
   */
  get decodeStats(): { steps: number; tokens: number; calls: number } {
    return { ...this.#driver.stats };
  }

  async dispose(): Promise<void> {
    await this.#driver.dispose();
    await this.#context.dispose();
    if (--this.#sharing.engines === 0) await this.#model.dispose();
  }

  #safeText(text: string): string {
    const safe = this.#safeChars;
    if (!safe) return text;
    const fallback = safe.has("?") ? "?" : safe.has(" ") ? " " : "";
    let out = "";
    for (const ch of text) out += safe.has(ch) || safe.has(ch.replaceAll(" ", "\u2581")) ? ch : fallback;
    return out;
  }

  /** @internal For benchmarks that compare against node-llama-cpp used directly. */
  get raw(): { llama: Llama; model: LlamaModel; context: LlamaContext } {
    return { llama: this.#llama, model: this.#model, context: this.#context };
  }
}

type NodeLlamaCpp = typeof import("node-llama-cpp");
let binding: Promise<NodeLlamaCpp> | undefined;

/** node-llama-cpp, imported on first use: the import costs ~0.4 s, which commands that load no model should not pay. */
function nodeLlamaCpp(): Promise<NodeLlamaCpp> {
  binding ??= import("node-llama-cpp");
  return binding;
}

/** The native addon, or null when it is not built; an error when `required` and it is not. */
function requireNative(required: boolean | undefined) {
  const binding = nativeBinding();
  if (required && !binding) {
    throw new InvalidOptionError({ field: "native", value: true, accepted: `false, or build the addon first (scripts/build-native.sh; expected at ${nativeAddonPath() ?? "ponder's cache"})` });
  }
  return binding;
}

/** Architectures the bundled llama.cpp knows (a runtime object despite its `const enum` typing). */
function knownArchitectures(llamaCpp: NodeLlamaCpp): Set<string> {
  return new Set<string>(Object.values((llamaCpp as unknown as { GgufArchitectureType: Record<string, string> }).GgufArchitectureType));
}

/** Context settings of an engine; exported so benchmarks can drive node-llama-cpp directly with the same ones. */
export function contextOptions({ contextSize, sequences, threads, exact }: { contextSize: number; sequences: number; threads: number; exact: boolean }) {
  return {
    contextSize,
    sequences,
    threads,
    batchSize: Math.max(512, sequences * 16),
    flashAttention: !exact,
    ...(exact ? { experimentalKvCacheKeyType: "F32" as const, experimentalKvCacheValueType: "F32" as const } : {}),
  };
}

let llamaInstance: Promise<Llama> | undefined;

/**
 * One llama.cpp binding per process, CPU only, never built from source at run time. Its thread
 * budget is the cores (node-llama-cpp's default is at least 4, which let two 2-thread models run 4
 * spinning threads on 2 cores). Getting it takes ~0.6 s on 2 cores, most of it node-llama-cpp
 * testing its prebuilt binary in a child process.
 */
function sharedLlama(): Promise<Llama> {
  llamaInstance ??= nodeLlamaCpp().then(({ getLlama, LlamaLogLevel }) =>
    getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error, progressLogs: false, maxThreads: availableCores() }),
  );
  return llamaInstance;
}

/** A loaded model, what its engines share: the weights, how a context of it is made, and how many engines use it. */
interface LoadedModel {
  modelId: string;
  parameters: number;
  path: string;
  llama: Llama;
  model: LlamaModel;
  /** Single-character tokens, when the vocabulary has no byte fallback and unknown characters must be replaced. */
  safeChars: Set<string> | null;
  open: ContextOpening;
  sharing: { engines: number };
}

/** What an engine's context is made from (LlamaEngine.load's options, resolved). */
interface ContextOpening {
  contextSize: number;
  sequences: number;
  threads: number;
  exact: boolean;
  vocabSize: number;
  native: NativeBinding | null;
  requireNative: boolean;
}

/** Bytes of K and V cells for `cells` tokens of `model` at `bytesPerValue`: layers × cells × (K + V widths, grouped-query heads included). */
function kvCacheBytes(model: LlamaModel, cells: number, bytesPerValue: number): number {
  const metadata = model.fileInfo.metadata as Record<string, unknown> & { general?: { architecture?: string } };
  const arch = (metadata[metadata.general?.architecture ?? ""] ?? {}) as {
    block_count?: number;
    embedding_length?: number;
    attention?: { head_count?: number; head_count_kv?: number | number[]; key_length?: number; value_length?: number };
  };
  const layers = arch.block_count ?? 0;
  const heads = arch.attention?.head_count ?? 1;
  const kvHeads = Array.isArray(arch.attention?.head_count_kv) ? Math.max(...arch.attention.head_count_kv) : (arch.attention?.head_count_kv ?? heads);
  const headSize = (arch.embedding_length ?? 0) / heads;
  const width = kvHeads * ((arch.attention?.key_length ?? headSize) + (arch.attention?.value_length ?? headSize));
  return layers * cells * width * bytesPerValue;
}

/** Logits (indexed by token id) as unnormalised probabilities (exp), the form modelLogprobs reads; the maximum is kept at 1 so nothing overflows. */
function logitsAsWeights(logits: Float32Array): Map<number, number> {
  const out = new Map<number, number>();
  let max = -Infinity;
  for (const l of logits) if (l > max) max = l;
  logits.forEach((l, token) => out.set(token, Math.exp(l - max)));
  return out;
}

function firstStop(text: string, stops: readonly string[]): number | undefined {
  let cut: number | undefined;
  for (const stop of stops) {
    const i = text.indexOf(stop);
    if (i >= 0 && (cut === undefined || i < cut)) cut = i;
  }
  return cut;
}

/**
 * Checks a model path before node-llama-cpp reads it: a directory, a file that is not GGUF, or a
 * GGUF header whose counts cannot be right (node-llama-cpp's reader never returns on some
 * garbage) each get a one-line ModelLoadError naming the path and what is wrong.
 */
async function checkGgufFile(path: string): Promise<void> {
  if (!existsSync(path)) throw new ModelLoadError({ path, reason: "missing-file", message: `model file not found: ${path}` });
  const info = await stat(path);
  if (info.isDirectory()) throw new ModelLoadError({ path, reason: "not-gguf", message: `${path} is a directory; a model is a .gguf file` });
  const handle = await open(path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(24), 0, 24, 0);
    const bad = (what: string) => new ModelLoadError({ path, reason: "not-gguf", message: `${path} is not a valid GGUF file: ${what}` });
    if (bytesRead < 4 || buffer.toString("latin1", 0, 4) !== "GGUF") {
      throw new ModelLoadError({ path, reason: "not-gguf", message: `${path} is not a GGUF file (it does not start with the bytes "GGUF")` });
    }
    if (bytesRead < 24) throw bad(`its header is cut short (${info.size} bytes)`);
    const version = buffer.readUInt32LE(4);
    if (version < 1 || version > 3) throw bad(`unknown GGUF version ${version} in its header`);
    // Every tensor and metadata entry takes at least 8 bytes, so larger counts are garbage.
    const tensors = buffer.readBigUInt64LE(8);
    const entries = buffer.readBigUInt64LE(16);
    if (tensors + entries > BigInt(info.size) / 8n) throw bad(`its header counts ${tensors} tensors and ${entries} metadata entries, more than a ${info.size}-byte file can hold`);
  } finally {
    await handle.close();
  }
}
