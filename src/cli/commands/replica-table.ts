import type { EvalRecord } from "../../eval/eval-record.js";
import { addUsage, type Usage } from "../../core/usage.js";
import { compact, formatTable } from "../../report/format-table.js";

/**
 * Where a replica set sent a run's work: per model and replica, the samples it returned, the
 * share of their prompt tokens it found in its cache, and the requests that failed over from it.
 * Null when no model of the run was a replica set.
 */
export function replicaTable(records: readonly EvalRecord[]): string | null {
  // A re-voted smaller budget repeats part of its run's samples: count each run once.
  const usage = records.filter((r) => !r.subsampled).reduce<Usage>((sum, r) => addUsage(sum, r.usage), {});
  const rows: string[][] = [];
  for (const [model, u] of Object.entries(usage)) {
    for (const [url, r] of Object.entries(u.replicas ?? {})) {
      const prompt = r.promptTokens + r.cachedPromptTokens;
      rows.push([model, url, compact(r.calls), compact(prompt), prompt > 0 ? `${((100 * r.cachedPromptTokens) / prompt).toFixed(1)}%` : "—", String(r.failures)]);
    }
  }
  if (rows.length === 0) return null;
  return formatTable(["replica usage", "replica", "samples", "prompt tokens", "from cache", "failed over"], rows, "text");
}
