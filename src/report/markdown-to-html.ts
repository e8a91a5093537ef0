/**
 * Renders the markdown subset the report writes (headings, paragraphs, pipe tables, images on
 * their own line, `code`) as HTML. Images are replaced by what `image` returns, so the page can
 * carry its plots inline and stay self-contained.
 */
export function markdownToHtml(markdown: string, image: (file: string, title: string) => string): string {
  const out: string[] = [];
  const blocks = markdown.split(/\n{2,}/);
  for (const block of blocks) {
    const lines = block.split("\n").filter((l) => l.trim() !== "");
    if (lines.length === 0) continue;
    const heading = /^(#{1,3}) (.*)$/.exec(lines[0]!);
    if (heading && lines.length === 1) {
      out.push(`<h${heading[1]!.length}>${inline(heading[2]!)}</h${heading[1]!.length}>`);
    } else if (lines.every((l) => l.startsWith("|"))) {
      out.push(table(lines));
    } else if (lines.every((l) => /^!\[.*\]\(.*\)$/.test(l))) {
      for (const l of lines) {
        const [, title, file] = /^!\[(.*)\]\((.*)\)$/.exec(l)!;
        out.push(`<figure>${image(file!, title!)}<figcaption>${escapeHtml(title!)}</figcaption></figure>`);
      }
    } else out.push(`<p>${inline(lines.join(" "))}</p>`);
  }
  return out.join("\n");
}

function table(lines: readonly string[]): string {
  const cells = (line: string) => line.slice(1, -1).split(/(?<!\\)\|/).map((c) => inline(c.trim().replaceAll("\\|", "|")));
  const [head, , ...body] = lines;
  const numeric = (c: string) => /^[\d.–%\[\]e\- ]+$/.test(c) && /\d/.test(c);
  return (
    `<table><thead><tr>${cells(head!).map((c) => `<th>${c}</th>`).join("")}</tr></thead><tbody>` +
    body.map((l) => `<tr>${cells(l).map((c) => `<td${numeric(c) ? ' class="n"' : ""}>${c}</td>`).join("")}</tr>`).join("") +
    "</tbody></table>"
  );
}

function inline(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}
