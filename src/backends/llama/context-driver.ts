import type { LlamaContext, LlamaModel } from "node-llama-cpp";
import type { Token } from "./token.js";
import type { NativeBinding, NativeContext, NativeSampler } from "./native-binding.js";
import { availableCores } from "./thread-plan.js";

/**
 * The cores llama.cpp's threads may use at once, shared by every model of the process (what
 * node-llama-cpp's Llama-level thread budget did for its own decodes): a step waits until its
 * model's thread team fits, so models whose teams add up to more than the cores take turns
 * rather than spin against each other at llama.cpp's barriers.
 */
class CoreBudget {
  #free = availableCores();
  readonly #waiting: { threads: number; go(): void }[] = [];
  /** How to cut short the steps that hold cores now (a run of steps ends after its current decode). */
  readonly #holders = new Set<() => void>();

  async acquire(threads: number, interrupt: () => void): Promise<void> {
    const n = Math.min(threads, availableCores());
    if (this.#waiting.length === 0 && n <= this.#free) {
      this.#free -= n;
      this.#holders.add(interrupt);
      return;
    }
    for (const holder of this.#holders) holder();
    await new Promise<void>((go) => this.#waiting.push({ threads: n, go }));
    this.#holders.add(interrupt);
  }

  release(threads: number, interrupt: () => void): void {
    this.#holders.delete(interrupt);
    this.#free += Math.min(threads, availableCores());
    while (this.#waiting.length > 0 && this.#waiting[0]!.threads <= this.#free) {
      const next = this.#waiting.shift()!;
      this.#free -= next.threads;
      next.go();
    }
  }
}

const cores = new CoreBudget();

/** How a sequence's next token is drawn: node-llama-cpp's sampler chain for these settings. */
export interface SamplerSettings {
  temperature: number;
  topK: number;
  topP: number;
  minP: number;
  seed: number;
}

/** A sampler of one completion: it keeps its random state from token to token. */
export interface DriverSampler {
  readonly handle: unknown;
  dispose(): void;
}

/**
 * What a decode reads after one of its tokens (`index` into the tokens it evaluates). A sample with
 * `goOn` is a generation the native step may carry on by itself (the request's only output, at its
 * last token, without probabilities): it feeds each drawn token back while none ends the generation
 * (end of generation, `limit` tokens drawn, a stop string in `text`, the completion's text so far,
 * followed by the new tokens) and the context has no other work; its result is every token drawn.
 */
export type DecodeOutput =
  | { kind: "sample"; index: number; sampler: DriverSampler; probabilities: boolean; confidence: boolean; goOn?: { limit: number; stops: readonly string[]; text: string } }
  /** The logits of every token (a Float32Array indexed by token id), or of `filter`'s tokens only, in its order. */
  | { kind: "logits"; index: number; filter?: readonly Token[] };

export interface SampledToken {
  /** The drawn token; null when the sampler left no candidate. */
  token: Token | null;
  /** The drawn token's probability under the sampling distribution, when asked for. */
  confidence?: number;
  /** The sampling distribution over the candidates the chain left, most likely first, when asked for. */
  probabilities?: Map<Token, number>;
}

/** A sample's tokens, in order (one, unless a generation went on), or logits. */
export type DecodeResult = SampledToken[] | Float32Array;

interface Request {
  seq: number;
  /** Tokens the step also fed back to go on with a generation (`goOn`), in the KV cache after `tokens`. */
  extra?: readonly Token[];
  /** Position of the first token still to evaluate. */
  start: number;
  tokens: readonly Token[];
  /** Tokens of `tokens` evaluated by earlier steps (a request longer than a batch spans several). */
  consumed: number;
  outputs: readonly DecodeOutput[];
  results: DecodeResult[];
  resolve(results: DecodeResult[]): void;
  reject(error: unknown): void;
}

type Operation = { kind: "erase"; seq: number; from: number } | { kind: "copy"; source: number; target: number; upTo: number };

/** An output a step reads: the request, which of its outputs, and its index in the batch. */
interface Read {
  request: Request;
  output: number;
  batchIndex: number;
}

interface StepItem {
  request: Request;
  /** Tokens of the request this step evaluates, from `request.start`. */
  count: number;
  /** Where they start in the batch. */
  offset: number;
}

/**
 * Every use of one llama.cpp context, the engine's and the sequence pool's, goes through this: it
 * collects the decodes requested while the JavaScript thread works and runs them as one batch per
 * step, with the KV-cache erasures and copies requested before them, and keeps each sequence's
 * tokens as its KV cache holds them. With ponder's native addon (native/ponder-native.cc) a step
 * is one call on a worker thread that also samples every sequence's next token; without it, it is
 * node-llama-cpp's addon: a decode, then one async sampling call per sequence. Both draw the same
 * tokens for a seed (node-llama-cpp's sampler chains, the same logits).
 *
 * A native call may also run on: when every read of a step is a generation that goes on (`goOn`),
 * the worker feeds the drawn tokens back and decodes again, without a turn of the JavaScript thread
 * between tokens, until a generation ends, new work for this context is queued (it interrupts the
 * run after the decode in flight), another model waits for cores, or MAX_STEPS. On the README's
 * main job (10 problems) that halved the policy's calls to the decode thread (1,389 → ~730).
 */
export class ContextDriver {
  readonly batchSize: number;
  readonly vocabSize: number;
  /** Decodes run, the tokens they evaluated, and the calls to the decode thread that ran them (a native call may run several decodes), for benchmarks and tests of batching. */
  readonly stats = { steps: 0, tokens: 0, calls: 0 };
  readonly #addon: AddonContext;
  readonly #model: LlamaModel;
  /** llama.cpp threads each decode of this context runs. */
  readonly #threads: number;
  readonly #native: { binding: NativeBinding; context: NativeContext } | null;
  readonly #tokens: Token[][];
  #requests: Request[] = [];
  #operations: Operation[] = [];
  #scheduled = false;
  #running = false;
  #current: Promise<void> = Promise.resolve();
  #disposed = false;
  readonly #interrupt = () => {
    if (this.#native && this.#running) this.#native.binding.interrupt(this.#native.context);
  };

  constructor(
    context: LlamaContext,
    model: LlamaModel,
    { sequences, vocabSize, native, requireNative = false }: { sequences: number; vocabSize: number; native: NativeBinding | null; requireNative?: boolean },
  ) {
    // node-llama-cpp's internal addon context (its version is pinned): the driver replaces its batching, not its addon.
    this.#addon = (context as unknown as { _ctx: AddonContext })._ctx;
    this.#model = model;
    this.#threads = context.idealThreads;
    // llama.cpp lowers a batch size above the context size to it.
    this.batchSize = Math.min(context.batchSize, context.contextSize);
    this.vocabSize = vocabSize;
    this.#tokens = Array.from({ length: sequences }, () => []);
    this.#native = null;
    try {
      if (native) this.#native = { binding: native, context: native.contextHandle(this.#addon, sequences) };
    } catch (error) {
      // An addon built for another node-llama-cpp layout: node-llama-cpp's own path still works.
      if (requireNative) throw error;
    }
  }

  /** Whether steps run in ponder's native addon. */
  get native(): boolean {
    return this.#native !== null;
  }

  /** The tokens `seq`'s KV cache holds, as of the last step (read-only; not a copy). */
  tokensOf(seq: number): readonly Token[] {
    return this.#tokens[seq]!;
  }

  sampler(settings: SamplerSettings): DriverSampler {
    const seed = settings.seed >>> 0;
    if (this.#native) {
      const handle: NativeSampler = this.#native.binding.createSampler(this.#native.context, settings.temperature, settings.topK, settings.topP, settings.minP, seed);
      return { handle, dispose: () => {} };
    }
    const bindings = (this.#model as unknown as { _llama: { _bindings: { AddonSampler: new (model: unknown) => AddonSampler } }; _model: unknown });
    const sampler = new bindings._llama._bindings.AddonSampler(bindings._model);
    // The config node-llama-cpp's own evaluation passes for these settings (LlamaContextSequence._resolveSamplerConfig).
    sampler.applyConfig({ temperature: settings.temperature, minP: settings.minP, topK: settings.topK, topP: settings.topP, seed });
    return { handle: sampler, dispose: () => sampler.dispose() };
  }

  /** Evaluates `tokens` at positions `start`, `start + 1`, … of `seq` and reads `outputs`. */
  decode(seq: number, start: number, tokens: readonly Token[], outputs: readonly DecodeOutput[] = []): Promise<DecodeResult[]> {
    if (this.#disposed) return Promise.reject(new Error("the model was disposed"));
    if (tokens.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.#requests.push({ seq, start, tokens, consumed: 0, outputs, results: [], resolve, reject });
      this.#schedule();
    });
  }

  /**
   * Drops `seq`'s cells from position `from` on. Like copy, it takes effect at once for tokensOf
   * and before any decode queued after it (a step runs its operations first), so a caller need not
   * wait a step for it: the erasure and the decode it prepares share one call.
   */
  erase(seq: number, from: number): Promise<void> {
    if (this.#disposed) return Promise.reject(new Error("the model was disposed"));
    this.#tokens[seq]!.length = Math.min(this.#tokens[seq]!.length, from);
    this.#operations.push({ kind: "erase", seq, from });
    this.#schedule();
    return Promise.resolve();
  }

  /** Makes `target` hold `source`'s first `upTo` tokens (llama.cpp's `llama_memory_seq_cp`), at once as erase does. */
  copy(source: number, target: number, upTo: number): Promise<void> {
    if (this.#disposed) return Promise.reject(new Error("the model was disposed"));
    this.#tokens[target] = this.#tokens[source]!.slice(0, upTo);
    this.#operations.push({ kind: "copy", source, target, upTo });
    this.#schedule();
    return Promise.resolve();
  }

  /** Refuses new work and waits for the step in flight, so that the context can be freed under no worker. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    await this.#current;
  }

  /** Runs the next step once the JavaScript thread has queued what it will this turn (a run of steps in flight ends sooner). */
  #schedule(): void {
    this.#interrupt();
    if (this.#scheduled || this.#running) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#current = this.#run();
    });
  }

  async #run(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      if (this.#disposed) throw new Error("the model was disposed");
      const operations = this.#operations.splice(0);
      const items: StepItem[] = [];
      let used = 0;
      for (const request of this.#requests) {
        if (used >= this.batchSize) break;
        const remaining = remainingOf(request);
        const count = Math.min(remaining, this.batchSize - used);
        items.push({ request, count, offset: used });
        used += count;
      }
      try {
        await cores.acquire(this.#threads, this.#interrupt);
        try {
          await this.#step(operations, items, used < remainingTotal(this.#requests));
        } finally {
          cores.release(this.#threads, this.#interrupt);
        }
      } catch (error) {
        for (const { request } of items) request.reject(error);
        this.#requests = this.#requests.filter((r) => !items.some((i) => i.request === r));
        return;
      }
      const finished = new Set<Request>();
      for (const { request, count } of items) {
        advance(request, count);
        if (remainingOf(request) === 0) finished.add(request);
      }
      this.#requests = this.#requests.filter((r) => !finished.has(r));
      for (const request of finished) request.resolve(request.results);
    } catch (error) {
      this.#operations.length = 0;
      for (const request of this.#requests.splice(0)) request.reject(error);
    } finally {
      this.#running = false;
      if (this.#requests.length > 0 || this.#operations.length > 0) this.#schedule();
    }
  }

  /**
   * One step: the operations in order, then one decode of `items`, its outputs stored on their
   * requests; with the native addon, and when every read is a generation that goes on and nothing
   * is `left` waiting, more decodes of those generations.
   */
  async #step(operations: readonly Operation[], items: readonly StepItem[], left: boolean): Promise<void> {
    const tokens: number[] = [];
    const positions: number[] = [];
    const seqIds: number[] = [];
    const reads: Read[] = [];
    for (const { request, count, offset } of items) {
      const from = request.consumed;
      for (let i = 0; i < count; i++) {
        tokens.push(request.tokens[from + i]!);
        positions.push(request.start + i);
        seqIds.push(request.seq);
      }
      request.outputs.forEach((output, o) => {
        if (output.index >= from && output.index < from + count) reads.push({ request, output: o, batchIndex: offset + output.index - from });
      });
    }
    if (this.#native) {
      const run = await this.#nativeStep(operations, tokens, positions, seqIds, reads, left ? 1 : MAX_STEPS);
      this.stats.steps += run.steps;
      this.stats.tokens += run.tokens;
      this.stats.calls++;
    } else {
      await this.#addonStep(operations, items, reads);
      if (tokens.length > 0) {
        this.stats.steps++;
        this.stats.tokens += tokens.length;
      }
      this.stats.calls++;
    }
    for (const { request, count } of items) {
      const held = this.#tokens[request.seq]!;
      held.length = request.start;
      const from = request.consumed;
      for (let i = 0; i < count; i++) held.push(request.tokens[from + i]!);
      if (request.extra) {
        held.push(...request.extra);
        request.extra = undefined;
      }
    }
  }

  async #nativeStep(
    operations: readonly Operation[],
    tokens: number[],
    positions: number[],
    seqIds: number[],
    reads: readonly Read[],
    maxSteps: number,
  ): Promise<{ steps: number; tokens: number }> {
    const { binding, context } = this.#native!;
    const ops: number[] = [];
    for (const op of operations) {
      if (op.kind === "erase") ops.push(0, op.seq, op.from);
      else ops.push(1, op.source, op.target, op.upTo);
    }
    const jobs = reads.map(({ request, output, batchIndex }) => {
      const o = request.outputs[output]!;
      if (o.kind === "sample") {
        if (!o.goOn || o.probabilities) return [batchIndex, 0, o.sampler.handle, o.probabilities, o.confidence] as const;
        return [batchIndex, 0, o.sampler.handle, false, o.confidence, o.goOn.limit, [...o.goOn.stops], o.goOn.text] as const;
      }
      return o.filter ? ([batchIndex, 2, Int32Array.from(o.filter)] as const) : ([batchIndex, 1] as const);
    });
    const step = await binding.step(context, Int32Array.from(ops), Int32Array.from(tokens), Int32Array.from(positions), Int32Array.from(seqIds), jobs, maxSteps);
    reads.forEach(({ request, output }, i) => {
      const o = request.outputs[output]!;
      const r = step.results[i]!;
      if (o.kind !== "sample") {
        request.results[output] = r as Float32Array;
        return;
      }
      const [drawn, confidences, ids, probs] = r as [Int32Array, Float32Array | undefined, Int32Array | undefined, Float32Array | undefined];
      const run: SampledToken[] = Array.from(drawn, (token, j) => {
        const sampled: SampledToken = { token: token === -1 ? null : (token as Token) };
        if (confidences) sampled.confidence = confidences[j]!;
        return sampled;
      });
      if (ids && probs) {
        const map = new Map<Token, number>();
        for (let j = 0; j < ids.length; j++) map.set(ids[j]! as Token, probs[j]!);
        run[0]!.probabilities = map;
      }
      // Every token drawn but the last was fed back: it is in the KV cache after the request's own.
      if (run.length > 1) request.extra = Array.from(drawn.subarray(0, drawn.length - 1)) as Token[];
      request.results[output] = run;
    });
    return { steps: step.steps, tokens: step.tokens };
  }

  /** The same step on node-llama-cpp's addon alone. */
  async #addonStep(operations: readonly Operation[], items: readonly StepItem[], reads: readonly Read[]): Promise<void> {
    const addon = this.#addon;
    for (const op of operations) {
      if (op.kind === "erase") addon.removeTokenCellsFromSequence(op.seq, op.from, -1);
      else {
        addon.removeTokenCellsFromSequence(op.target, -1, -1);
        if (op.upTo > 0) {
          await addon.copySequenceStateFromOtherSequence(op.target, op.source);
          addon.removeTokenCellsFromSequence(op.target, op.upTo, -1);
        }
      }
    }
    if (items.length === 0) return;
    addon.initBatch(items.reduce((n, i) => n + i.count, 0));
    for (const { request, count, offset } of items) {
      const from = request.consumed;
      // Batch index = offset + index in the request's chunk, as addToBatch (which wants them sorted, once each) assigns them.
      const wanted = [...new Set(reads.filter((r) => r.request === request).map((r) => r.batchIndex - offset))].sort((x, y) => x - y);
      addon.addToBatch(request.seq, request.start, Uint32Array.from(request.tokens.slice(from, from + count)), Uint32Array.from(wanted));
    }
    await addon.decodeBatch();
    // An AddonSampler is not safe to use from two sampling calls at once (its candidate buffer is shared), so every logits read gets its own.
    const greedy: DriverSampler[] = [];
    const logitsSampler = () => {
      const sampler = this.sampler({ temperature: 0, topK: 0, topP: 1, minP: 0, seed: 0 });
      greedy.push(sampler);
      return sampler.handle as AddonSampler;
    };
    try {
      await Promise.allSettled(
        reads.map(async ({ request, output, batchIndex }) => {
          const o = request.outputs[output]!;
          const index = batchIndex;
          if (o.kind === "sample") {
            const sampler = o.sampler.handle as AddonSampler;
            const wantsMetadata = o.probabilities || o.confidence;
            const result = wantsMetadata ? await addon.sampleToken(index, sampler, o.probabilities, o.confidence) : await addon.sampleToken(index, sampler);
            const [token, probabilities, confidence] = Array.isArray(result) ? result : [result];
            const sampled: SampledToken = { token: token === -1 || token == null ? null : (token as Token) };
            if (confidence != null) sampled.confidence = confidence;
            if (probabilities != null) sampled.probabilities = pairs(probabilities);
            request.results[output] = [sampled];
            return;
          }
          const [, , , logits] = await addon.sampleToken(index, logitsSampler(), false, false, o.filter ? [[...o.filter], false, false, false, 0] : true);
          const map = pairs(logits ?? []);
          if (o.filter) request.results[output] = Float32Array.from(o.filter, (t) => map.get(t) ?? -Infinity);
          else {
            const all = new Float32Array(this.vocabSize).fill(-Infinity);
            for (const [t, l] of map) all[t] = l;
            request.results[output] = all;
          }
        }),
      ).then((settled) => {
        for (const s of settled) if (s.status === "rejected") throw s.reason;
      });
    } finally {
      for (const sampler of greedy) sampler.dispose();
    }
  }
}

function pairs(flat: readonly number[]): Map<Token, number> {
  const map = new Map<Token, number>();
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(flat[i]! as Token, flat[i + 1]!);
  return map;
}

/** The most decodes one native step runs (generations going on by themselves), between two turns of the JavaScript thread. */
const MAX_STEPS = 64;

function remainingOf(request: Request): number {
  return request.tokens.length - request.consumed;
}

function remainingTotal(requests: readonly Request[]): number {
  return requests.reduce((n, r) => n + remainingOf(r), 0);
}

function advance(request: Request, count: number): void {
  request.consumed += count;
  request.start += count;
}

/** The parts of node-llama-cpp's AddonContext (bindings/AddonTypes.d.ts) the driver uses. */
interface AddonContext {
  initBatch(size: number): void;
  addToBatch(sequenceId: number, firstTokenSequenceIndex: number, tokens: Uint32Array, logitIndexes: Uint32Array): Uint32Array;
  decodeBatch(): Promise<void>;
  sampleToken(batchLogitIndex: number, sampler: AddonSampler): Promise<number>;
  sampleToken(
    batchLogitIndex: number,
    sampler: AddonSampler,
    probabilities: boolean,
    confidence?: boolean,
    logits?: boolean | [number[], boolean, boolean, boolean, number],
  ): Promise<[number, number[] | undefined, number | undefined, number[] | undefined, number | undefined]>;
  removeTokenCellsFromSequence(sequenceId: number, startPos: number, endPos: number): boolean;
  copySequenceStateFromOtherSequence(targetSequenceId: number, sourceSequenceId: number): Promise<number>;
}

interface AddonSampler {
  applyConfig(config: Record<string, number>): void;
  dispose(): void;
}
