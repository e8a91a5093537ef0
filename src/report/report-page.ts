import { escapeHtml } from "./report-document.js";

/**
 * The HTML page around a report's body: everything inline (styles, plots as SVG), no scripts and
 * nothing fetched, so it opens the same offline, from a file, or attached to an e-mail. The
 * contents bar links the sections; tables beside plots wrap below them on narrow screens.
 */
export function reportPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font: 15px/1.5 "DejaVu Sans", system-ui, sans-serif; max-width: 1440px; margin: 1.5em auto; padding: 0 1.2em; color: #1d1d1d; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; } h3 { margin-top: 1.4em; }
nav { font-size: 13px; color: #555; } nav a { margin-right: 1em; color: #0b5a8e; }
p.note { color: #444; margin-top: 0; }
p.headline { font-size: 1.12em; background: #f3f7fb; border-left: 4px solid #0072B2; padding: 0.6em 0.9em; }
p.warning { background: #fff6e5; border-left: 4px solid #E69F00; padding: 0.45em 0.9em; }
table { border-collapse: collapse; margin: 0.5em 0 1.2em; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th { background: #f4f4f4; } tr.few td { background: #fff9ec; }
figure { margin: 1.2em 0; } .plot svg { max-width: 100%; height: auto; display: block; }
figcaption { color: #555; font-size: 13px; max-width: 900px; } a.png { margin-left: 0.4em; }
.table-wrap { overflow-x: auto; }
.beside { display: flex; flex-wrap: wrap; gap: 0 1.5em; align-items: flex-start; } .beside figure { flex: 0 1 auto; margin-top: 0; } .side-table { flex: 0 1 380px; margin-top: 2em; }
code { background: #f4f4f4; padding: 0 3px; }
</style></head>
<body>
<nav aria-label="contents"><a href="#summary">Summary</a><a href="#plots">Plots</a><a href="#tables">Tables</a><a href="#configuration">Configuration and data</a></nav>
${body}
</body></html>
`;
}
