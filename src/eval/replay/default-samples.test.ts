import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { sharedDataPath } from "../../datasets/shared-data.js";
import { DEFAULT_SAMPLES, defaultSamplesPath } from "./default-samples.js";

const tmp = () => mkdtempSync(join(tmpdir(), "ponder-replay-"));

/** A fetch that answers every request with these bytes and counts the requests (GitHub's raw file server, as seen by fetch). */
function servingFetch(body: Uint8Array) {
  const seen: string[] = [];
  const fetch = (async (url: string | URL | Request) => {
    seen.push(String(url));
    return new Response(body, { status: 200 });
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}

describe("defaultSamplesPath", () => {
  const real = readFileSync(sharedDataPath(DEFAULT_SAMPLES.relative));

  it("uses a checkout's shared data when present, without downloading", async () => {
    const { fetch, seen } = servingFetch(real);
    assert.equal(await defaultSamplesPath({ fetch, cacheDir: tmp() }), sharedDataPath(DEFAULT_SAMPLES.relative));
    assert.equal(seen.length, 0);
  });

  it("downloads the pinned file once into the cache, then reads the cache", async () => {
    const cacheDir = tmp();
    const { fetch, seen } = servingFetch(real);
    const options = { fetch, cacheDir, sharedDir: tmp() };
    const path = await defaultSamplesPath(options);
    assert.ok(path.startsWith(cacheDir), path);
    assert.deepEqual(readFileSync(path), real);
    assert.equal(await defaultSamplesPath(options), path);
    assert.deepEqual(seen, [DEFAULT_SAMPLES.url]);
  });

  it("refuses a download whose SHA-256 differs and caches nothing", async () => {
    const cacheDir = tmp();
    const { fetch } = servingFetch(Buffer.from('{"idx": 0}\n'));
    await assert.rejects(defaultSamplesPath({ fetch, cacheDir, sharedDir: tmp() }), /SHA-256 [0-9a-f]{64}, expected 5b9128/);
    assert.equal(existsSync(join(cacheDir, "replay", DEFAULT_SAMPLES.relative)), false);
  });

  it("replaces a damaged cache entry, and says what to do when offline", async () => {
    const cacheDir = tmp();
    const cached = join(cacheDir, "replay", DEFAULT_SAMPLES.relative);
    mkdirSync(dirname(cached), { recursive: true });
    writeFileSync(cached, "truncated");
    const offline = (async () => {
      throw new TypeError("fetch failed");
    }) as typeof globalThis.fetch;
    await assert.rejects(defaultSamplesPath({ fetch: offline, cacheDir, sharedDir: tmp() }), /download failed \(fetch failed\); offline\?; give a recorded-samples file instead \(ponder replay <file>\)/);
    const { fetch } = servingFetch(real);
    assert.deepEqual(readFileSync(await defaultSamplesPath({ fetch, cacheDir, sharedDir: tmp() })), real);
  });
});
