import type { ContextDriver } from "./context-driver.js";
import type { Token } from "./token.js";
import { AbortedError, throwIfAborted } from "../../core/errors/aborted-error.js";

/** A sequence lent to one request; its KV cache already holds `prompt[0, reused)`. */
export interface Lease {
  /** The sequence's id in its context. */
  readonly seq: number;
  /** Prompt tokens already in the KV cache (own cache or copied from another sequence). */
  readonly reused: number;
  /** Call once the prompt has been evaluated, so waiting requests can copy it. */
  prefilled(): void;
  release(): void;
}

interface Ticket {
  prompt: readonly Token[];
  give(slot: Slot): void;
}

interface Slot {
  seq: number;
  busy: boolean;
  lastUsed: number;
  /** Tokens this slot is about to hold once its prefill finishes (its KV cache holds only a part yet). */
  pending?: { tokens: readonly Token[]; done: Promise<void>; settled: boolean; order: number };
}

/** Copying beats evaluating only for prefixes longer than this many tokens. */
const MIN_COPY_GAIN = 1;

/**
 * The sequences of one context, lent to requests so that a request whose prompt shares a prefix
 * with tokens already evaluated anywhere in the context does not evaluate that prefix again:
 * it either lands in the sequence that holds the prefix, or copies that sequence's KV cells
 * (llama.cpp's `llama_memory_seq_cp`), waiting for an in-flight prefill when one is about to hold it.
 */
export class SequencePool {
  readonly #driver: ContextDriver;
  readonly #slots: Slot[];
  /** Requests waiting for a slot, in arrival order. */
  #queue: Ticket[] = [];
  #placing = false;
  #clock = 0;
  /** One abort listener per signal, shared by the requests waiting on it. */
  readonly #abortHandlers = new Map<AbortSignal, { handlers: Set<() => void>; fire: () => void }>();

  constructor(driver: ContextDriver, size: number) {
    this.#driver = driver;
    this.#slots = Array.from({ length: size }, (_, seq) => ({ seq, busy: false, lastUsed: 0 }));
  }

  get size(): number {
    return this.#slots.length;
  }

  /** Lends a sequence aligned to the longest cached prefix of `prompt` (never all of it: the last token is left to evaluate for logits). */
  async acquire(prompt: readonly Token[], signal?: AbortSignal, { maxReuse = prompt.length - 1 }: { maxReuse?: number } = {}): Promise<Lease> {
    const slot = await this.#takeFreeSlot(prompt, signal);
    let resolveDone!: () => void;
    const order = ++this.#clock;
    // Once prefilled, the slot holds the whole prompt, whatever this request reuses of it.
    const pending: NonNullable<Slot["pending"]> = { tokens: prompt, done: new Promise<void>((resolve) => (resolveDone = resolve)), settled: false, order };
    const settle = () => {
      pending.settled = true;
      resolveDone();
    };
    slot.pending = pending;
    const release = () => {
      settle();
      if (slot.pending === pending) slot.pending = undefined;
      slot.busy = false;
      slot.lastUsed = ++this.#clock;
      this.#schedulePlacement();
    };
    try {
      const reused = await this.#align(slot, prompt, maxReuse, order);
      let released = false;
      return {
        seq: slot.seq,
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

  /**
   * A free slot for `prompt`. Requests that arrive together (a search round's continuations,
   * issued at once) are placed together at the next turn of the event loop, so that one request
   * never overwrites the slot holding the parent another one continues: see #place.
   */
  #takeFreeSlot(prompt: readonly Token[], signal?: AbortSignal): Promise<Slot> {
    throwIfAborted(signal);
    return new Promise<Slot>((resolve, reject) => {
      const unlisten = signal
        ? this.#onAbort(signal, () => {
            this.#queue = this.#queue.filter((t) => t !== ticket);
            reject(new AbortedError({ cause: signal.reason }));
          })
        : () => {};
      const ticket: Ticket = {
        prompt,
        give: (slot) => {
          unlisten();
          resolve(slot);
        },
      };
      this.#queue.push(ticket);
      this.#schedulePlacement();
    });
  }

  /**
   * Calls `handler` when `signal` aborts; returns a function that forgets it. Every request waiting
   * on one signal shares a single listener (a search issues dozens at once on its one signal, and
   * a listener each would pass Node's limit of 10 and print MaxListenersExceededWarning).
   */
  #onAbort(signal: AbortSignal, handler: () => void): () => void {
    let entry = this.#abortHandlers.get(signal);
    if (!entry) {
      const handlers = new Set<() => void>();
      const fire = () => {
        this.#abortHandlers.delete(signal);
        for (const h of handlers) h();
      };
      entry = { handlers, fire };
      this.#abortHandlers.set(signal, entry);
      signal.addEventListener("abort", fire, { once: true });
    }
    const { handlers, fire } = entry;
    handlers.add(handler);
    return () => {
      handlers.delete(handler);
      if (handlers.size === 0 && this.#abortHandlers.get(signal) === entry) {
        this.#abortHandlers.delete(signal);
        signal.removeEventListener("abort", fire);
      }
    };
  }

  #schedulePlacement(): void {
    if (this.#placing || this.#queue.length === 0) return;
    this.#placing = true;
    setImmediate(() => {
      this.#placing = false;
      this.#place();
    });
  }

  /**
   * Gives waiting requests free slots. A request whose prompt extends a slot's whole content (its
   * parent beam) takes that slot when it is free, continuing in place. The others take the free
   * slot they lose least by: first one that is no waiting request's parent (a parent's cells are
   * about to be copied by its other children), then the longest shared prefix, then the least
   * recently used. Requests left without a slot wait for the next release, in arrival order.
   */
  #place(): void {
    const free = this.#slots.filter((s) => !s.busy);
    if (free.length === 0) return;
    const parents = new Map<Ticket, Slot>();
    for (const ticket of this.#queue) {
      let parent: Slot | undefined;
      for (const slot of this.#slots) {
        const held = this.#driver.tokensOf(slot.seq);
        if (held.length > (parent ? this.#driver.tokensOf(parent.seq).length : 0) && held.length <= ticket.prompt.length && commonPrefixLength(held, ticket.prompt) === held.length) parent = slot;
      }
      if (parent) parents.set(ticket, parent);
    }
    const needed = new Set(parents.values());
    const given = new Map<Ticket, Slot>();
    const taken = new Set<Slot>();
    for (const ticket of this.#queue) {
      const parent = parents.get(ticket);
      if (parent && !parent.busy && !taken.has(parent)) {
        given.set(ticket, parent);
        taken.add(parent);
      }
    }
    for (const ticket of this.#queue) {
      if (given.has(ticket)) continue;
      let best: Slot | undefined;
      let bestScore = -Infinity;
      for (const slot of free) {
        if (taken.has(slot)) continue;
        const score = (needed.has(slot) ? 0 : 1e15) + commonPrefixLength(this.#driver.tokensOf(slot.seq), ticket.prompt) * 1e6 - slot.lastUsed / 1e6;
        if (score > bestScore) [best, bestScore] = [slot, score];
      }
      if (!best) break;
      given.set(ticket, best);
      taken.add(best);
    }
    this.#queue = this.#queue.filter((t) => !given.has(t));
    for (const [ticket, slot] of given) {
      slot.busy = true;
      ticket.give(slot);
    }
  }

  async #align(slot: Slot, prompt: readonly Token[], maxReuse: number, order: number): Promise<number> {
    const driver = this.#driver;
    const own = Math.min(commonPrefixLength(driver.tokensOf(slot.seq), prompt), maxReuse);
    let donor: Slot | undefined;
    // A request that may reuse its whole prompt (its next-token logits are shared) skips evaluation
    // entirely once it holds every token, so even the last one is worth copying.
    const minGain = maxReuse === prompt.length ? 0 : MIN_COPY_GAIN;
    let donorLength = own + minGain;
    for (const other of this.#slots) {
      if (other === slot) continue;
      // Waiting only on prefills registered earlier keeps waits acyclic. Until its prefill is done a
      // slot may still hold its previous, unrelated content, so what it is about to hold counts.
      const inFlight = other.pending !== undefined && !other.pending.settled && other.pending.order < order;
      const known = inFlight ? other.pending!.tokens : driver.tokensOf(other.seq);
      const length = Math.min(commonPrefixLength(known, prompt), maxReuse);
      if (length > donorLength) [donor, donorLength] = [other, length];
    }
    if (donor) {
      if (donor.pending && commonPrefixLength(driver.tokensOf(donor.seq), prompt) < donorLength) await donor.pending.done;
      const available = Math.min(commonPrefixLength(driver.tokensOf(donor.seq), prompt), maxReuse);
      if (available > own + minGain) await driver.copy(donor.seq, slot.seq, available);
    }
    // The donor may have moved on between the check and the copy: trust only what matches now.
    const reused = Math.min(commonPrefixLength(driver.tokensOf(slot.seq), prompt), maxReuse);
    if (driver.tokensOf(slot.seq).length > reused) await driver.erase(slot.seq, reused);
    return reused;
  }
}

export function commonPrefixLength(a: readonly Token[], b: readonly Token[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}
