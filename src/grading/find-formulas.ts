/** A delimited formula in a text: `$…$`, `$$…$$`, `\(…\)` or `\[…\]`. */
export interface Formula {
  /** Index of the opening delimiter. */
  start: number;
  /** Index just past the closing delimiter. */
  end: number;
  /** What stands between the delimiters, trimmed. */
  inner: string;
}

/** Display formulas longer than this are not closed by a delimiter far away: they are left unclosed. */
const MAX_DISPLAY = 20_000;

/**
 * Every delimited formula, in order, in one left-to-right pass. Inline forms (`$…$`, `\(…\)`)
 * stay on one line; display forms may span lines. Each search for a closing delimiter is cached
 * until the scan passes it, so the scan is linear however many delimiters never close
 * (a regular expression with a lazy body is quadratic there).
 */
export function findFormulas(text: string): Formula[] {
  const out: Formula[] = [];
  const next = new NextIndex(text);
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 36 /* $ */) {
      if (i > 0 && text[i - 1] === "\\") {
        i++;
        continue;
      }
      if (text[i + 1] === "$") {
        const close = next.of("$$", i + 2);
        if (close >= 0 && close - i <= MAX_DISPLAY) {
          push(out, text, i, i + 2, close, close + 2);
          i = close + 2;
          continue;
        }
        i += 2;
        continue;
      }
      const close = closingDollar(text, i + 1, next);
      if (close >= 0) {
        push(out, text, i, i + 1, close, close + 1);
        i = close + 1;
        continue;
      }
      i++;
      continue;
    }
    if (c === 92 /* \ */ && (text[i + 1] === "(" || text[i + 1] === "[")) {
      const display = text[i + 1] === "[";
      const close = next.of(display ? "\\]" : "\\)", i + 2);
      const line = next.of("\n", i + 2);
      if (close >= 0 && (display ? close - i <= MAX_DISPLAY : line < 0 || close < line)) {
        push(out, text, i, i + 2, close, close + 2);
        i = close + 2;
        continue;
      }
      i += 2;
      continue;
    }
    i++;
  }
  return out;
}

function push(out: Formula[], text: string, start: number, open: number, close: number, end: number): void {
  const inner = text.slice(open, close).trim();
  if (inner !== "") out.push({ start, end, inner });
}

/** The `$` closing an inline formula opened before `from`, on the same line and not escaped; -1 if none. */
function closingDollar(text: string, from: number, next: NextIndex): number {
  const line = next.of("\n", from);
  let at = next.of("$", from);
  while (at >= 0 && (line < 0 || at < line)) {
    if (text[at - 1] !== "\\") return at;
    at = next.of("$", at + 1);
  }
  return -1;
}

/** `indexOf` with the last answer per needle kept while it still holds (asked from no earlier a place, not yet passed). */
class NextIndex {
  private readonly cache = new Map<string, { from: number; at: number }>();

  constructor(private readonly text: string) {}

  of(needle: string, from: number): number {
    const known = this.cache.get(needle);
    if (known && known.from <= from && (known.at === -1 || known.at >= from)) return known.at;
    const at = this.text.indexOf(needle, from);
    this.cache.set(needle, { from, at });
    return at;
  }
}
