import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AbortedError } from "../../core/errors/aborted-error.js";
import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import { ConcurrencyLimiter } from "./concurrency-limiter.js";

describe("ConcurrencyLimiter", () => {
  it("runs at most `limit` tasks at once, the rest in arrival order", async () => {
    const limiter = new ConcurrencyLimiter(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (i: number) => async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      order.push(i);
      running--;
      return i;
    };
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => limiter.run(task(i))));
    assert.deepEqual(results, [0, 1, 2, 3, 4]);
    assert.equal(peak, 2);
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
    assert.equal(limiter.active + limiter.queued, 0);
  });

  it("drops an aborted waiter from the queue without running it, and frees places after failures", async () => {
    const limiter = new ConcurrencyLimiter(1);
    let release!: () => void;
    const first = limiter.run(() => new Promise<void>((r) => (release = r)));
    const controller = new AbortController();
    let ran = false;
    const second = limiter.run(async () => void (ran = true), controller.signal);
    assert.equal(limiter.queued, 1);
    controller.abort();
    await assert.rejects(second, AbortedError);
    assert.equal(limiter.queued, 0);
    release();
    await first;
    await assert.rejects(limiter.run(() => Promise.reject(new Error("boom"))), /boom/);
    assert.equal(await limiter.run(async () => 7), 7);
    assert.equal(ran, false);
  });

  it("rejects a limit below 1", () => {
    assert.throws(() => new ConcurrencyLimiter(0), InvalidOptionError);
  });
});
