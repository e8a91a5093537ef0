/**
 * Query parameters whose values are credentials: API keys passed in URLs (`key`, `api_key`,
 * `api-key`), tokens, passwords and signatures. ponder's own spec options (`model`, `key-env`, …)
 * never match, so messages keep naming them.
 */
const SECRET_PARAM = /^(?:[\w.]*[-_.])?(?:key|apikey|api[-_]key|token|access[-_]?token|secret|client[-_]?secret|password|passwd|pwd|auth|authorization|sig|signature|credentials?|session)$/i;

const URL_PATTERN = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"'<>]*@)?([^\s"'<>]*)/gi;
const HEADER_PATTERN = /\b((?:proxy-)?authorization|x-api-key|api-key|cookie)(["']?\s*[:=]\s*["']?)(?:(?:bearer|basic|token)\s+)?[^\s"',;}&]+/gi;
const BEARER_PATTERN = /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{4,}/gi;

/**
 * `text` with credentials masked wherever they appear: the user info of URLs
 * (`http://user:pass@host` → `http://[redacted]@host`), the values of credential-like query
 * parameters (`?key=…`), authorization headers and bearer tokens, and any of `secrets` given
 * (an API key the caller knows). For everything that leaves the process: CLI errors, server
 * logs, and error bodies sent to API clients.
 * @example redactCredentials("GET http://u:p@h/v1?model=m&api_key=s failed") // "GET http://[redacted]@h/v1?model=m&api_key=[redacted] failed"
 */
export function redactCredentials(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(URL_PATTERN, (_match, scheme: string, userinfo: string | undefined, rest: string) => `${scheme}${userinfo ? "[redacted]@" : ""}${redactQuery(rest)}`);
  // A placeholder such as `Bearer <key>` (in ponder's own advice) is no credential.
  out = out.replace(HEADER_PATTERN, (match, name: string, separator: string) => (/\s<[\w-]+>\.?$/.test(match) ? match : `${name}${separator}[redacted]`));
  out = out.replace(BEARER_PATTERN, (_match, scheme: string) => `${scheme} [redacted]`);
  // Longest first, so a secret containing another is masked whole.
  for (const secret of [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(secret).join("[redacted]");
  return out;
}

/** The part of a URL after its scheme and user info, with credential-like query values masked. */
function redactQuery(rest: string): string {
  const at = rest.indexOf("?");
  if (at < 0) return rest;
  const hash = rest.indexOf("#", at);
  const query = rest.slice(at + 1, hash < 0 ? undefined : hash);
  const masked = query
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      if (eq < 0) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name);
      } catch {
        // A malformed escape: judge the name as written.
      }
      return SECRET_PARAM.test(name) ? `${pair.slice(0, eq)}=[redacted]` : pair;
    })
    .join("&");
  return `${rest.slice(0, at + 1)}${masked}${hash < 0 ? "" : rest.slice(hash)}`;
}
