import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AbortedError } from "../../core/errors/aborted-error.js";
import { createRng } from "../../core/rng.js";
import { backoffDelay, isRetryableStatus, retryAfterMs, sleep } from "./retry-delay.js";

describe("retry delays", () => {
  it("draws full-jitter backoff within [0, min(max, base·2^k)), reproducibly from a seed", () => {
    const limits = { baseMs: 100, maxMs: 1000 };
    const a = createRng(3);
    const b = createRng(3);
    for (let k = 0; k < 8; k++) {
      const delay = backoffDelay(k, limits, a);
      assert.ok(delay >= 0 && delay < Math.min(1000, 100 * 2 ** k), `retry ${k}: ${delay}`);
      assert.equal(backoffDelay(k, limits, b), delay);
    }
  });

  it("reads Retry-After as seconds or an HTTP date, and OpenAI's retry-after-ms first", () => {
    assert.equal(retryAfterMs(new Headers({ "retry-after": "2" })), 2000);
    assert.equal(retryAfterMs(new Headers({ "retry-after": "1.5", "retry-after-ms": "250" })), 250);
    const now = Date.parse("2025-01-01T00:00:00Z");
    assert.equal(retryAfterMs(new Headers({ "retry-after": "Wed, 01 Jan 2025 00:00:07 GMT" }), now), 7000);
    assert.equal(retryAfterMs(new Headers({ "retry-after": "soon" })), null);
    assert.equal(retryAfterMs(new Headers()), null);
  });

  it("retries rate limits, timeouts, conflicts and server errors only", () => {
    assert.deepEqual([400, 401, 404, 408, 409, 422, 429, 500, 503].filter(isRetryableStatus), [408, 409, 429, 500, 503]);
  });

  it("stops sleeping when aborted", async () => {
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort();
    await assert.rejects(pending, AbortedError);
    await assert.rejects(sleep(1, controller.signal), AbortedError);
  });
});
