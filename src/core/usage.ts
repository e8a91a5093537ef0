/** Compute spent on one model. */
export interface ModelUsage {
  /** Solutions begun from the question (the "generation budget" unit of the published work). */
  generations: number;
  /** Backend calls: sampled continuations, or candidates scored. */
  calls: number;
  /** Prompt tokens the model evaluated. */
  promptTokens: number;
  /** Prompt tokens served from the KV cache instead of being evaluated. */
  cachedPromptTokens: number;
  /**
   * Prompt tokens whose prefix this request had not already given the model: what an engine with
   * a prefix cache evaluates when the request runs alone (see PrefixLedger). Unlike `promptTokens`
   * it does not depend on what other requests left in the cache. Backends that see no token ids
   * (HTTP servers) report their measured `promptTokens` here. Absent from records stored before
   * it was counted; read it with `processedPromptTokens(u)`.
   */
  processedPromptTokens?: number;
  /** Tokens generated. */
  completionTokens: number;
  /** 2 × parameters × tokens processed (evaluated prompt + completion). */
  flops: number;
  /** Time during which at least one call to this model was in flight, in milliseconds. */
  wallMs: number;
  /** For a model served by a replica set: what each replica (by URL) served and failed. */
  replicas?: Record<string, ReplicaUsage>;
}

/** One replica's share of a model's usage: where the router sent the calls, and the cache hits they found. */
export interface ReplicaUsage {
  /** Samples it returned. */
  calls: number;
  promptTokens: number;
  cachedPromptTokens: number;
  completionTokens: number;
  /** Requests that failed there and were sent to another replica. */
  failures: number;
}

/** Compute spent, per model id. */
export type Usage = Record<string, ModelUsage>;

export function emptyModelUsage(): ModelUsage {
  return { generations: 0, calls: 0, promptTokens: 0, cachedPromptTokens: 0, processedPromptTokens: 0, completionTokens: 0, flops: 0, wallMs: 0 };
}

type CountField = Exclude<keyof Required<ModelUsage>, "replicas">;
const FIELDS = Object.keys(emptyModelUsage()) as CountField[];
const REPLICA_FIELDS = ["calls", "promptTokens", "cachedPromptTokens", "completionTokens", "failures"] as const;

/** Sum of two usages, per model. Neither input is changed. */
export function addUsage(a: Usage, b: Usage): Usage {
  const out: Usage = {};
  for (const usage of [a, b]) {
    for (const [model, u] of Object.entries(usage)) {
      const acc = (out[model] ??= emptyModelUsage());
      for (const f of FIELDS) acc[f] += fieldOf(u, f);
      if (u.replicas) acc.replicas = addReplicaUsage(acc.replicas ?? {}, u.replicas);
    }
  }
  return out;
}

function addReplicaUsage(a: Record<string, ReplicaUsage>, b: Record<string, ReplicaUsage>): Record<string, ReplicaUsage> {
  const out: Record<string, ReplicaUsage> = {};
  for (const [url, r] of [...Object.entries(a), ...Object.entries(b)]) {
    const acc = (out[url] ??= { calls: 0, promptTokens: 0, cachedPromptTokens: 0, completionTokens: 0, failures: 0 });
    for (const f of REPLICA_FIELDS) acc[f] += r[f];
  }
  return out;
}

/** All models' usage added together. */
export function totalUsage(usage: Usage): ModelUsage {
  const acc = emptyModelUsage();
  for (const u of Object.values(usage)) for (const f of FIELDS) acc[f] += fieldOf(u, f);
  return acc;
}

/** A model's processed prompt tokens; for records stored before they were counted, the tokens the engine evaluated. */
export function processedPromptTokens(u: ModelUsage): number {
  return u.processedPromptTokens ?? u.promptTokens;
}

function fieldOf(u: ModelUsage, f: CountField): number {
  return f === "processedPromptTokens" ? processedPromptTokens(u) : u[f];
}

/** Usage of one model for one call, before wall time is known. `processedPromptTokens` defaults to `promptTokens`. */
export function callUsage(
  model: string,
  fields: Partial<Omit<ModelUsage, "wallMs">> & { parameters: number },
): Usage {
  const u = emptyModelUsage();
  const { parameters, ...rest } = fields;
  Object.assign(u, rest);
  u.processedPromptTokens = rest.processedPromptTokens ?? u.promptTokens;
  u.flops = 2 * parameters * (u.promptTokens + u.completionTokens);
  return { [model]: u };
}
