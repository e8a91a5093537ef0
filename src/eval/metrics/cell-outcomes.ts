import type { EvalRecord } from "../eval-record.js";

/** Records of one (strategy, budget) cell, grouped by problem. */
export interface Cell {
  strategy: string;
  budget: number;
  records: EvalRecord[];
}

/** The run's cells in a stable order: strategies as first seen, budgets ascending. */
export function cellsOf(records: readonly EvalRecord[]): Cell[] {
  const byKey = new Map<string, Cell>();
  for (const r of records) {
    const key = JSON.stringify([r.strategy, r.budget]);
    let cell = byKey.get(key);
    if (!cell) byKey.set(key, (cell = { strategy: r.strategy, budget: r.budget, records: [] }));
    cell.records.push(r);
  }
  const order = [...new Set(records.map((r) => r.strategy))];
  return [...byKey.values()].sort((a, b) => order.indexOf(a.strategy) - order.indexOf(b.strategy) || a.budget - b.budget);
}

/** Correctness per problem (one entry per seed), optionally only for the problems `keep` accepts. */
export function outcomesByProblem(records: readonly EvalRecord[], keep?: (problemId: string) => boolean): Map<string, boolean[]> {
  const out = new Map<string, boolean[]>();
  for (const r of records) {
    if (keep && !keep(r.problemId)) continue;
    out.set(r.problemId, [...(out.get(r.problemId) ?? []), r.correct]);
  }
  return out;
}
