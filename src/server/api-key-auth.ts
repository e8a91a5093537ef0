import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { ApiError } from "./errors/api-error.js";

/**
 * Requires `Authorization: Bearer <key>`. Keys are compared as SHA-256 digests with
 * `timingSafeEqual`, so the comparison takes the same time whatever the key's length or how much of
 * it matches; the key is never logged or echoed back.
 */
export function apiKeyAuth(key: string): MiddlewareHandler {
  const expected = digest(key);
  return async function apiKeyAuth(c, next) {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      throw new ApiError({
        status: 401,
        type: "authentication_error",
        code: "invalid_api_key",
        headers: { "www-authenticate": 'Bearer realm="ponder"' },
        message: match ? "Incorrect API key provided." : "Missing API key: send the header Authorization: Bearer <key>.",
      });
    }
    await next();
  };
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
