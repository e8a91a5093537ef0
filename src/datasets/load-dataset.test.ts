import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DatasetError } from "./errors/dataset-error.js";
import { loadDataset } from "./load-dataset.js";
import { SHARED_DATA_DIR, sharedDataPath } from "./shared-data.js";

const tmp = () => mkdtempSync(join(tmpdir(), "ponder-datasets-"));

describe("loadDataset on the shared benchmark files", () => {
  it("reads MATH-500, GSM8K, AIME 2024/2025 and AMC 2023 with ids, gold answers and levels", async () => {
    sharedDataPath("math500/test.jsonl"); // fails loudly when the shared data is missing
    const math = await loadDataset("math500");
    assert.equal(math.problems.length, 500);
    assert.equal(math.problems[0]!.id, "test/precalculus/807.json");
    assert.equal(math.problems[0]!.answer, "\\left( 3, \\frac{\\pi}{2} \\right)");
    assert.ok(math.problems.every((p) => p.level! >= 1 && p.level! <= 5));

    const gsm = await loadDataset("gsm8k");
    assert.equal(gsm.problems.length, 1319);
    assert.equal(gsm.problems[0]!.answer, "18");
    assert.equal(gsm.answers.extract("so she makes 9 * 2 = 18\n#### 18"), "18");

    assert.equal((await loadDataset("aime24")).problems.length, 30);
    const aime25 = await loadDataset("aime25");
    assert.equal(aime25.problems.length, 30);
    assert.ok(aime25.problems.every((p) => /^\d+$/.test(p.answer!)));
    const amc = await loadDataset("amc23");
    assert.equal(amc.problems.length, 40);
    assert.ok(amc.problems.every((p) => !p.answer!.endsWith(".0")));
  });

  it("takes a seeded subset, a limit, a path and a field mapping", async () => {
    const a = await loadDataset("math500:limit=5,seed=3");
    const b = await loadDataset("math500:limit=5,seed=3");
    assert.deepEqual(a.problems.map((p) => p.id), b.problems.map((p) => p.id));
    assert.notDeepEqual(a.problems.map((p) => p.id), (await loadDataset("math500:limit=5")).problems.map((p) => p.id));
    const path = join(SHARED_DATA_DIR, "qwen-math-samples/math_cot_100.jsonl");
    const mapped = await loadDataset(`${path}:question=question,answer=gt,id=idx,limit=3`);
    assert.equal(mapped.problems.length, 3);
    assert.equal(typeof mapped.problems[0]!.answer, "string");
    const synthetic = await loadDataset("synthetic:levels=2,count=4");
    assert.ok(synthetic.problems.every((p) => p.level === 2));
  });

  it("names the file, line and field of malformed input", async () => {
    const dir = tmp();
    const file = join(dir, "bad.jsonl");
    writeFileSync(file, '{"question":"a","answer":"1"}\n{"question":"b"}\n');
    await assert.rejects(loadDataset(file), (e: unknown) => e instanceof DatasetError && e.line === 2 && /bad\.jsonl:2 \(field "answer or gt/.test(e.message));
    writeFileSync(file, '{"question":"a","answer":"1"}\n{"question": nope}\n');
    await assert.rejects(loadDataset(file), /bad\.jsonl:2: not valid JSON/);
    await assert.rejects(loadDataset(`${file}:colour=red`), /dataset option colour/);
    await assert.rejects(loadDataset(join(dir, "missing.jsonl")), /no such file/);
  });
});

describe("Hub datasets over HTTP (a loopback server standing in for the Hub)", () => {
  it("downloads a file once into the cache, pages through the rows API, and reports HTTP errors", async () => {
    const hits: string[] = [];
    const rows = Array.from({ length: 230 }, (_, i) => ({ row_idx: i, row: { question: `q${i}`, answer: `#### ${i}` } }));
    const server = createServer((req, res) => {
      hits.push(req.url!);
      const url = new URL(req.url!, "http://x");
      if (url.pathname === "/datasets/me/tiny/resolve/main/data/test.jsonl") return res.end('{"problem":"1+1?","answer":"2"}\n{"problem":"2+2?","answer":"4"}\n');
      if (url.pathname === "/rows") {
        const offset = Number(url.searchParams.get("offset"));
        const length = Number(url.searchParams.get("length"));
        res.setHeader("content-type", "application/json");
        return res.end(JSON.stringify({ rows: rows.slice(offset, offset + length), num_rows_total: rows.length }));
      }
      res.statusCode = 404;
      res.end("not found");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const options = { cacheDir: tmp(), endpoint: base, rowsEndpoint: base };
    try {
      const first = await loadDataset("hf:me/tiny:file=data/test.jsonl", options);
      assert.deepEqual(first.problems.map((p) => p.answer), ["2", "4"]);
      const again = await loadDataset("hf:me/tiny:file=data/test.jsonl", options);
      assert.deepEqual(again.problems, first.problems);
      assert.equal(hits.filter((h) => h.includes("test.jsonl")).length, 1, "the second load reads the cache");

      const paged = await loadDataset("hf:me/rows:config=main,split=test,format=gsm8k", options);
      assert.equal(paged.problems.length, 230);
      assert.equal(paged.problems[229]!.answer, "229");
      assert.equal(hits.filter((h) => h.startsWith("/rows")).length, 3);

      await assert.rejects(loadDataset("hf:me/absent:file=x.jsonl", options), (e: unknown) => e instanceof DatasetError && /HTTP 404/.test(e.message));
      await assert.rejects(loadDataset("hf:me/tiny", options), /file=<path in the repo>, or config=<name>,split=<name>/);
    } finally {
      server.close();
    }
  });
});
