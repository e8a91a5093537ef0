/** Shortest piece of a secret that is masked wherever it appears: servers echo keys whole or partly masked. */
const MIN_PIECE = 8;

/**
 * `text` with every occurrence of any secret, or of any 8-character piece of one, replaced by
 * "[redacted]". Used on everything an error keeps from a response, so that a key a server echoes
 * back (whole, or as OpenAI's "sk-abc***xyz") never reaches a log.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const pieces = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_PIECE) {
      if (secret.length > 0) pieces.add(secret);
      continue;
    }
    for (let i = 0; i + MIN_PIECE <= secret.length; i++) pieces.add(secret.slice(i, i + MIN_PIECE));
  }
  if (pieces.size === 0) return text;
  const lengths = [...new Set([...pieces].map((p) => p.length))];
  const masked = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    for (const length of lengths) {
      if (pieces.has(text.slice(i, i + length))) masked.fill(1, i, i + length);
    }
  }
  let out = "";
  for (let i = 0; i < text.length; i++) {
    if (!masked[i]) out += text[i];
    else if (i === 0 || !masked[i - 1]) out += "[redacted]";
  }
  return out;
}

/** A URL safe to print: origin and path only (no user info, no query string, which may carry keys). */
export function printableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return "<invalid url>";
  }
}
