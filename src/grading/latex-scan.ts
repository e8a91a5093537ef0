/** Small scanners over LaTeX source shared by extraction and normalisation. */

/**
 * Index just past the brace group that opens at `open` (which must hold "{"), or -1 when the group
 * never closes. Escaped braces (`\{`, `\}`) do not count.
 */
export function closeBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * The argument of a command that starts at `at`: a brace group's inside, or else the next
 * non-space character (TeX's rule for `\frac12`). Returns the argument and the index after it.
 */
export function readArgument(text: string, at: number): { arg: string; end: number } | null {
  let i = at;
  while (i < text.length && text[i] === " ") i++;
  if (i >= text.length) return null;
  if (text[i] === "{") {
    const end = closeBrace(text, i);
    if (end < 0) return null;
    return { arg: text.slice(i + 1, end - 1), end };
  }
  if (text[i] === "\\") {
    const m = /^\\[A-Za-z]+/.exec(text.slice(i));
    if (m) return { arg: m[0], end: i + m[0].length };
  }
  return { arg: text[i]!, end: i + 1 };
}

/**
 * Replaces every `\name{...}` (for any of `names`) by `render(inside)`, innermost groups included.
 * Unclosed groups are left as they are.
 */
export function replaceCommandGroups(text: string, names: readonly string[], render: (inside: string, name: string) => string): string {
  const pattern = new RegExp(`\\\\(${names.join("|")})(?![A-Za-z])\\s*\\{`, "g");
  let out = "";
  let last = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const open = m.index + m[0].length - 1;
    const end = closeBrace(text, open);
    if (end < 0) break;
    out += text.slice(last, m.index) + render(replaceCommandGroups(text.slice(open + 1, end - 1), names, render), m[1]!);
    last = end;
    pattern.lastIndex = end;
  }
  return out + text.slice(last);
}
