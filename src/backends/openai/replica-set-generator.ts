import { AsyncLocalStorage } from "node:async_hooks";
import type { GenerationRequest, GenerationResult, Generator } from "../../core/generator.js";
import { addUsage, emptyModelUsage, type ReplicaUsage, type Usage } from "../../core/usage.js";
import { ReplicaSetUnavailableError } from "./errors/replica-set-unavailable-error.js";
import { isReplicaFailure, type Replica, type ReplicaSet } from "./replica-set.js";
import { sessionId } from "./replica-route.js";

/** The affinity key of the request being sent, for the `fetch` that adds it as a router's session header. */
const session = new AsyncLocalStorage<string>();

/**
 * A `fetch` that sends the current request's affinity key (hashed) in `header`, for routers that
 * pin sessions to replicas by a header (vLLM production-stack's `--routing-logic session
 * --session-key <header>`; an ingress with consistent hashing on a header, as llm-d and Envoy do).
 */
export function sessionHeaderFetch(header: string, base: typeof globalThis.fetch = globalThis.fetch): typeof globalThis.fetch {
  return (input, init) => {
    const key = session.getStore();
    if (key === undefined) return base(input, init);
    return base(input, { ...init, headers: { ...(init?.headers as Record<string, string> | undefined), [header]: sessionId(key) } });
  };
}

export interface ReplicaSetGeneratorOptions {
  /** How long a request waits for a replica to come back when every one is out, in ms (default 120 000). */
  waitMs?: number;
}

/**
 * One policy served by several replicas. A request goes to the replica its problem is pinned to
 * (prefix affinity: a search tree's calls share their prefixes, which only that replica has in
 * cache) or in turn (round-robin). A replica that fails — unreachable, reset, 5xx, 429 — is
 * taken out and the request goes to the next one at once; when none is left the request waits
 * for a probe to put one back. The samples are the same whichever replica draws them (each
 * carries its seed), so a failover changes nothing but where the work was done; usage says
 * where, per replica, under the model's `replicas`.
 * @example const policy = new ReplicaSetGenerator(await ReplicaSet.open({ entries, route: "affinity", connect }));
 */
export class ReplicaSetGenerator implements Generator {
  readonly modelId: string;
  readonly stepDelimiter: string;
  readonly set: ReplicaSet<Generator>;
  readonly #waitMs: number;

  constructor(set: ReplicaSet<Generator>, { waitMs = 120_000 }: ReplicaSetGeneratorOptions = {}) {
    const first = set.replicas.find((r) => r.target !== null)?.target;
    if (!first) throw new Error("a replica set needs a connected replica");
    this.set = set;
    this.modelId = first.modelId;
    this.stepDelimiter = first.stepDelimiter;
    this.#waitMs = waitMs;
  }

  async generate(request: GenerationRequest, signal?: AbortSignal): Promise<GenerationResult> {
    const key = request.problem.id;
    const tried = new Set<Replica<Generator>>();
    const failed: string[] = [];
    const started = performance.now();
    for (;;) {
      const replica = this.set.choose(key, tried);
      if (!replica) {
        const waited = performance.now() - started;
        if (waited >= this.#waitMs) {
          throw new ReplicaSetUnavailableError({ replicas: Object.fromEntries(this.set.replicas.map((r) => [r.url, r.lastFailure ?? "up"])), waitedMs: waited });
        }
        // Every replica failed this request or is out: wait for one to come back, then try all again.
        await this.set.waitForChange(Math.min(1000, this.#waitMs - waited), signal);
        tried.clear();
        continue;
      }
      try {
        const result = await session.run(key, () => replica.target!.generate(request, signal));
        return { ...result, usage: this.#withReplicas(result.usage, replica.url, failed) };
      } catch (error) {
        if (signal?.aborted || !isReplicaFailure(error)) throw error;
        failed.push(replica.url);
        tried.add(replica);
        this.set.takeOut(replica, error);
      }
    }
  }

  /** Stops probing replicas that are out. */
  close(): void {
    this.set.close();
  }

  #withReplicas(usage: Usage, url: string, failed: readonly string[]): Usage {
    const own = usage[this.modelId] ?? emptyModelUsage();
    const replicas: Record<string, ReplicaUsage> = {};
    for (const f of failed) replicas[f] = { ...zero(), ...replicas[f], failures: (replicas[f]?.failures ?? 0) + 1 };
    const served = { calls: own.calls, promptTokens: own.promptTokens, cachedPromptTokens: own.cachedPromptTokens, completionTokens: own.completionTokens, failures: 0 };
    const marked: Usage = { [this.modelId]: { ...emptyModelUsage(), replicas: addReplicas(replicas, url, served) } };
    return addUsage(usage, marked);
  }
}

function zero(): ReplicaUsage {
  return { calls: 0, promptTokens: 0, cachedPromptTokens: 0, completionTokens: 0, failures: 0 };
}

function addReplicas(replicas: Record<string, ReplicaUsage>, url: string, served: ReplicaUsage): Record<string, ReplicaUsage> {
  const r = replicas[url] ?? zero();
  return { ...replicas, [url]: { calls: r.calls + served.calls, promptTokens: r.promptTokens + served.promptTokens, cachedPromptTokens: r.cachedPromptTokens + served.cachedPromptTokens, completionTokens: r.completionTokens + served.completionTokens, failures: r.failures } };
}
