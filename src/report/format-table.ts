/** A table as aligned plain text (for terminals) or as GitHub markdown. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], style: "text" | "markdown"): string {
  if (style === "markdown") {
    const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
    return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function percent(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : "–";
}

/** A number in engineering notation for FLOPs and tokens: 1.2e9. */
export function compact(x: number): string {
  if (!Number.isFinite(x)) return "–";
  return Math.abs(x) >= 1e4 ? x.toExponential(2).replace("e+", "e") : x.toFixed(Number.isInteger(x) ? 0 : 1);
}
