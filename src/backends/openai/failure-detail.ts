// How a failed request is told in an error message: the server's own words, or the connection's.

/** The server's own error message, from the JSON shapes OpenAI, vLLM and FastAPI use. */
export function errorMessage(body: string): string {
  let message: unknown;
  try {
    const json = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown };
    message = typeof json.error === "object" ? json.error?.message : (json.error ?? json.message ?? json.detail);
    if (typeof message !== "string") message = JSON.stringify(message ?? json);
  } catch {
    message = body;
  }
  const text = String(message).trim();
  return text ? `: ${text.length > 300 ? `${text.slice(0, 297)}...` : text}` : "";
}

/** What a failed connection says, with its code (ECONNREFUSED, ENOTFOUND, …). */
export function networkDetail(cause: unknown): string {
  const error = cause as { message?: string; cause?: { code?: string; message?: string } };
  const code = error?.cause?.code;
  const inner = error?.cause?.message;
  return `connection failed${code ? ` (${code})` : ""}: ${inner ?? error?.message ?? String(cause)}`;
}
