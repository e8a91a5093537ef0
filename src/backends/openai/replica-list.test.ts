import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import { SpecOptions } from "../spec-options.js";
import { readReplicaList } from "./replica-list.js";
import { rendezvousOrder } from "./replica-route.js";

const list = (spec: string) => {
  const o = new SpecOptions(spec, "generator");
  const entries = readReplicaList(o);
  return entries;
};

describe("replica lists", () => {
  it("reads the spec's comma-separated URLs, a file (one a line, comments, per-replica concurrency) and an environment variable", () => {
    const dir = mkdtempSync(join(tmpdir(), "ponder-replicas-"));
    const file = join(dir, "replicas.txt");
    writeFileSync(file, "# fleet A\nhttp://10.0.0.1:8000/v1   concurrency=4\n\nhttp://10.0.0.2:8000/v1/ # spare\n");
    process.env.PONDER_TEST_REPLICAS = "http://10.0.0.3:8000/v1,http://10.0.0.4:8000/v1 concurrency=2";
    assert.deepEqual(list(`http://a:1/v1,http://b:2/v1?model=m&replicas-file=${file}&replicas-env=PONDER_TEST_REPLICAS`), [
      { url: "http://a:1/v1" },
      { url: "http://b:2/v1" },
      { url: "http://10.0.0.1:8000/v1", concurrency: 4 },
      { url: "http://10.0.0.2:8000/v1" },
      { url: "http://10.0.0.3:8000/v1" },
      { url: "http://10.0.0.4:8000/v1", concurrency: 2 },
    ]);
    assert.deepEqual(list(`replicas?replicas-file=${file}`).length, 2, "the base `replicas` names no URL itself");
  });

  it("names the file and line of a bad entry, and refuses a URL given twice, an unset variable and an empty list", () => {
    const dir = mkdtempSync(join(tmpdir(), "ponder-replicas-"));
    const file = join(dir, "replicas.txt");
    writeFileSync(file, "http://10.0.0.1:8000/v1\n10.0.0.2:8000\n");
    assert.throws(() => list(`replicas?replicas-file=${file}`), (e: unknown) => e instanceof InvalidOptionError && e.message.includes(`${file}:2`) && /http\(s\) API root/.test(e.message));
    writeFileSync(file, "http://10.0.0.1:8000/v1 concurrency=0\n");
    assert.throws(() => list(`replicas?replicas-file=${file}`), (e: unknown) => e instanceof InvalidOptionError && e.message.includes(`${file}:1`) && /concurrency=N/.test(e.message));
    assert.throws(() => list("http://a:1/v1,http://a:1/v1"), (e: unknown) => e instanceof InvalidOptionError && /each replica URL once/.test(e.message));
    assert.throws(() => list("replicas?replicas-env=PONDER_TEST_UNSET_VARIABLE"), (e: unknown) => e instanceof InvalidOptionError && e.field === "replicas-env");
    assert.throws(() => list("replicas"), (e: unknown) => e instanceof InvalidOptionError && e.field === "replicas");
    assert.throws(() => list(`replicas?replicas-file=${join(dir, "missing.txt")}`), (e: unknown) => e instanceof InvalidOptionError && e.field === "replicas-file");
  });

  it("affinity moves only a leaving replica's keys, and brings them back when it returns", () => {
    const replicas = ["http://r1/v1", "http://r2/v1", "http://r3/v1"].map((url) => ({ url }));
    const keys = Array.from({ length: 300 }, (_, i) => `problem-${i}`);
    const before = keys.map((k) => rendezvousOrder(replicas, k)[0]!.url);
    const counts = new Map<string, number>();
    for (const url of before) counts.set(url, (counts.get(url) ?? 0) + 1);
    for (const n of counts.values()) assert.ok(n > 70 && n < 130, `keys spread about evenly: ${[...counts.values()]}`);
    const without = replicas.filter((r) => r.url !== "http://r2/v1");
    keys.forEach((k, i) => {
      const after = rendezvousOrder(without, k)[0]!.url;
      if (before[i] !== "http://r2/v1") assert.equal(after, before[i], "a key whose replica stayed does not move");
    });
  });
});
