import type { LlamaContext, LlamaContextSequence, Token } from "node-llama-cpp";
import { AbortedError, throwIfAborted } from "../../core/errors/aborted-error.js";

/** A sequence lent to one request; its KV cache already holds `prompt[0, reused)`. */
export interface Lease {
  readonly sequence: LlamaContextSequence;
  /** Prompt tokens already in the KV cache (own cache or copied from another sequence). */
  readonly reused: number;
  /** Call once the prompt has been evaluated, so waiting requests can copy it. */
  prefilled(): void;
  release(): void;
}

interface Slot {
  sequence: LlamaContextSequence;
  busy: boolean;
  lastUsed: number;
  /** Tokens this slot is about to hold once its prefill finishes (its KV cache holds only a part yet). */
  pending?: { tokens: readonly Token[]; done: Promise<void>; order: number };
}

/** Copying beats evaluating only for prefixes longer than this many tokens. */
const MIN_COPY_GAIN = 4;

/**
 * The sequences of one context, lent to requests so that a request whose prompt shares a prefix
 * with tokens already evaluated anywhere in the context does not evaluate that prefix again:
 * it either lands in the sequence that holds the prefix, or copies that sequence's KV cells
 * (llama.cpp's `llama_memory_seq_cp`), waiting for an in-flight prefill when one is about to hold it.
 */
export class SequencePool {
  readonly #slots: Slot[];
  readonly #waiting: (() => void)[] = [];
  #clock = 0;

  constructor(context: LlamaContext, size: number) {
    this.#slots = Array.from({ length: size }, () => ({ sequence: context.getSequence(), busy: false, lastUsed: 0 }));
  }

  get size(): number {
    return this.#slots.length;
  }

  /** Lends a sequence aligned to the longest cached prefix of `prompt` (never all of it: the last token is left to evaluate for logits). */
  async acquire(prompt: readonly Token[], signal?: AbortSignal, { maxReuse = prompt.length - 1 }: { maxReuse?: number } = {}): Promise<Lease> {
    const slot = await this.#takeFreeSlot(prompt, signal);
    let settle!: () => void;
    const order = ++this.#clock;
    slot.pending = { tokens: prompt.slice(0, maxReuse), done: new Promise<void>((resolve) => (settle = resolve)), order };
    const pending = slot.pending;
    const release = () => {
      settle();
      if (slot.pending === pending) slot.pending = undefined;
      slot.busy = false;
      slot.lastUsed = ++this.#clock;
      this.#waiting.shift()?.();
    };
    try {
      const reused = await this.#align(slot, prompt, maxReuse, order);
      let released = false;
      return {
        sequence: slot.sequence,
        reused,
        prefilled: settle,
        release: () => {
          if (!released) (released = true), release();
        },
      };
    } catch (error) {
      release();
      throw error;
    }
  }

  async #takeFreeSlot(prompt: readonly Token[], signal?: AbortSignal): Promise<Slot> {
    for (;;) {
      throwIfAborted(signal);
      let best: Slot | undefined;
      let bestScore = -1;
      for (const slot of this.#slots) {
        if (slot.busy) continue;
        // Prefer the slot holding the longest prefix; among equals, the least recently used,
        // which keeps recently used prefixes (a beam's parent) alive for the requests about to need them.
        const score = commonPrefixLength(slot.sequence.contextTokens, prompt) * 1e6 - slot.lastUsed / 1e6;
        if (best === undefined || score > bestScore) [best, bestScore] = [slot, score];
      }
      if (best) {
        best.busy = true;
        return best;
      }
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        const onAbort = () => {
          const i = this.#waiting.indexOf(wake);
          if (i >= 0) this.#waiting.splice(i, 1);
          reject(new AbortedError({ cause: signal?.reason }));
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        this.#waiting.push(wake);
      });
    }
  }

  async #align(slot: Slot, prompt: readonly Token[], maxReuse: number, order: number): Promise<number> {
    const own = Math.min(commonPrefixLength(slot.sequence.contextTokens, prompt), maxReuse);
    let donor: Slot | undefined;
    let donorLength = own + MIN_COPY_GAIN;
    for (const other of this.#slots) {
      if (other === slot) continue;
      // Waiting only on prefills registered earlier keeps waits acyclic.
      const inFlight = other.pending && other.pending.order < order && other.pending.tokens.length > other.sequence.contextTokens.length;
      const known = inFlight ? other.pending!.tokens : other.sequence.contextTokens;
      const length = Math.min(commonPrefixLength(known, prompt), maxReuse);
      if (length > donorLength) [donor, donorLength] = [other, length];
    }
    const sequence = slot.sequence;
    if (donor) {
      if (donor.pending && commonPrefixLength(donor.sequence.contextTokens, prompt) < donorLength) await donor.pending.done;
      const available = Math.min(commonPrefixLength(donor.sequence.contextTokens, prompt), maxReuse);
      if (available > own + MIN_COPY_GAIN) {
        // Internal node-llama-cpp API (pinned version); it copies under the context lock.
        const copy = (sequence as unknown as { _copyStateFromOtherSequence(o: LlamaContextSequence, upTo: number): Promise<boolean> })._copyStateFromOtherSequence;
        await copy.call(sequence, donor.sequence, available);
      }
    }
    // The donor may have moved on between the check and the copy: trust only what matches now.
    const reused = Math.min(commonPrefixLength(sequence.contextTokens, prompt), maxReuse);
    if (sequence.nextTokenIndex > reused) await sequence.eraseContextTokenRanges([{ start: reused, end: sequence.nextTokenIndex }]);
    return reused;
  }
}

export function commonPrefixLength(a: readonly Token[], b: readonly Token[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}
