import { formatTable } from "./format-table.js";

/** A table: header, rows, and the rows to flag as resting on too few problems. */
export interface TableBlock {
  kind: "table";
  header: string[];
  rows: string[][];
  /** Indices of rows shown with a warning style (their cells rest on too few problems). */
  flagged?: number[];
}

/** One part of a report, rendered the same way to markdown and to HTML. */
export type Block =
  | { kind: "heading"; level: 1 | 2 | 3; text: string; id?: string }
  /** Text with `code` spans and **bold**. */
  | { kind: "paragraph"; text: string; role?: "headline" | "note" }
  | { kind: "list"; items: string[] }
  | { kind: "warning"; text: string }
  | TableBlock
  /** A plot: inline SVG in HTML, the PNG in markdown; `beside` is a table shown next to it. */
  | { kind: "figure"; id: string; png: string; title: string; caption: string; beside?: TableBlock }
  /** A group of blocks the HTML wraps in a section with this id (markdown ignores it). */
  | { kind: "section"; id: string; blocks: Block[] };

export function blocksToMarkdown(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case "heading":
        out.push(`${"#".repeat(b.level)} ${b.text}`);
        break;
      case "paragraph":
        out.push(b.role === "headline" ? `**${b.text}**` : b.text);
        break;
      case "list":
        out.push(b.items.map((i) => `- ${i}`).join("\n"));
        break;
      case "warning":
        out.push(`> ⚠ ${b.text}`);
        break;
      case "table":
        out.push(formatTable(b.header, b.rows.map((r, i) => (b.flagged?.includes(i) ? [r[0] + " ⚠", ...r.slice(1)] : r)), "markdown"));
        break;
      case "figure":
        out.push(`![${b.title}](${b.png})\n\n*${b.caption}*`);
        if (b.beside) out.push(blocksToMarkdown([b.beside]));
        break;
      case "section":
        out.push(blocksToMarkdown(b.blocks));
        continue;
    }
  }
  return out.join("\n\n") + "\n";
}

/** HTML of the blocks; figures get their inline SVG from `svgOf` (by PNG path). */
export function blocksToHtml(blocks: readonly Block[], svgOf: (png: string) => string): string {
  return blocks.map((b) => blockHtml(b, svgOf)).join("\n");
}

function blockHtml(b: Block, svgOf: (png: string) => string): string {
  switch (b.kind) {
    case "heading":
      return `<h${b.level}${b.id ? ` id="${escapeHtml(b.id)}"` : ""}>${inline(b.text)}</h${b.level}>`;
    case "paragraph":
      return `<p${b.role ? ` class="${b.role}"` : ""}>${inline(b.text)}</p>`;
    case "list":
      return `<ul>${b.items.map((i) => `<li>${inline(i)}</li>`).join("")}</ul>`;
    case "warning":
      return `<p class="warning" role="note">⚠ ${inline(b.text)}</p>`;
    case "table":
      return tableHtml(b);
    case "figure": {
      const figure =
        `<figure id="${escapeHtml(b.id)}"><div class="plot" role="img" aria-label="${escapeHtml(b.title)}">${scopeSvgIds(svgOf(b.png), b.id)}</div>` +
        `<figcaption>${inline(b.caption)} <a class="png" href="${escapeHtml(b.png)}">PNG</a></figcaption></figure>`;
      return b.beside ? `<div class="beside">${figure}<div class="side-table">${tableHtml(b.beside)}</div></div>` : figure;
    }
    case "section":
      return `<section id="${escapeHtml(b.id)}">\n${blocksToHtml(b.blocks, svgOf)}\n</section>`;
  }
}

function tableHtml(t: TableBlock): string {
  const numeric = (c: string) => /^[\s\d.,%–\-+−×e[\]()*]+$/.test(c) && /\d/.test(c);
  const row = (r: string[], i: number) =>
    `<tr${t.flagged?.includes(i) ? ' class="few" title="rests on too few problems to trust"' : ""}>` +
    r.map((c, j) => `<td${numeric(c) ? ' class="n"' : ""}>${inline(c)}${j === 0 && t.flagged?.includes(i) ? " ⚠" : ""}</td>`).join("") +
    "</tr>";
  return `<div class="table-wrap"><table><thead><tr>${t.header.map((h) => `<th>${inline(h)}</th>`).join("")}</tr></thead><tbody>${t.rows.map(row).join("")}</tbody></table></div>`;
}

/**
 * Prefixes the ids an SVG defines (clip paths, gradients) and its references to them with the
 * figure's id: several inline SVGs in one page would otherwise share ids, and a later plot would
 * be clipped by an earlier plot's paths.
 */
export function scopeSvgIds(svg: string, scope: string): string {
  return svg
    .replace(/<\?xml[^>]*>/, "")
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${scope}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${scope}-${id})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${scope}-${id}"`);
}

function inline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
}

export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}
