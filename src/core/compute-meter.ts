import { addUsage, emptyModelUsage, type Usage } from "./usage.js";

/**
 * Accumulates the usage of backend calls and the wall time during which each model was busy.
 * Concurrent calls to one model overlap, so its wall time is the union of their intervals.
 */
export class ComputeMeter {
  #usage: Usage = {};
  #intervals = new Map<string, [number, number][]>();

  /** Adds one call's usage; `startedAt`/`endedAt` are `performance.now()` readings. */
  record(usage: Usage, startedAt: number, endedAt: number): void {
    this.#usage = addUsage(this.#usage, usage);
    for (const model of Object.keys(usage)) {
      const list = this.#intervals.get(model) ?? [];
      list.push([startedAt, endedAt]);
      this.#intervals.set(model, list);
    }
  }

  /** Adds usage measured elsewhere (a sub-run's meter), wall time included. */
  merge(usage: Usage): void {
    this.#usage = addUsage(this.#usage, usage);
  }

  /** A copy of the usage so far, with wall times filled in. */
  snapshot(): Usage {
    const out: Usage = {};
    for (const [model, u] of Object.entries(this.#usage)) {
      out[model] = { ...emptyModelUsage(), ...u, wallMs: u.wallMs + unionLength(this.#intervals.get(model) ?? []) };
    }
    return out;
  }
}

function unionLength(intervals: [number, number][]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [start, end] = [-Infinity, -Infinity];
  for (const [s, e] of sorted) {
    if (s > end) {
      if (end > start) total += end - start;
      [start, end] = [s, e];
    } else if (e > end) end = e;
  }
  if (end > start) total += end - start;
  return total;
}
