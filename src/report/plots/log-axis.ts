/** Tick values at powers of ten within [lo, hi] (at least two, adding halves of a decade when the range is narrow). */
export function decadeTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 3]) {
      const v = m * 10 ** e;
      if (v >= lo && v <= hi) ticks.push(v);
    }
  }
  const decades = ticks.filter((t) => Math.log10(t) % 1 === 0);
  return decades.length >= 2 ? decades : ticks;
}

/** A quantitative log-scale axis of FLOPs (or tokens), labelled 1e8, 3e8, … */
export function flopsAxis(field: string, title: string | string[], domain: readonly [number, number]) {
  return {
    field,
    type: "quantitative" as const,
    title,
    scale: { type: "log" as const, domain: [...domain], nice: false },
    axis: { values: decadeTicks(domain[0], domain[1]), labelExpr: "replace(format(datum.value, '.0e'), '+', '')" },
  };
}

/** A domain around positive values with a margin of `pad` on each side of the log scale. */
export function logDomain(values: readonly number[], pad = 1.4): [number, number] {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  if (positive.length === 0) return [1, 10];
  return [Math.min(...positive) / pad, Math.max(...positive) * pad];
}
