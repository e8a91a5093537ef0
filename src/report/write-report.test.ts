import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { evalFixtureConfig } from "../../test/eval-fixture.js";
import { metricRecord } from "../../test/metric-record.js";
import { ResultsStore } from "../eval/results-store.js";
import { writeComparison } from "./write-comparison.js";
import { writeReport } from "./write-report.js";

function writeRun(dir: string, records: ReturnType<typeof metricRecord>[]): string {
  const store = ResultsStore.open(dir, evalFixtureConfig());
  store.append(records);
  store.close();
  return dir;
}

describe("writeReport", () => {
  const root = mkdtempSync(join(tmpdir(), "ponder-report-"));
  const ids = Array.from({ length: 20 }, (_, i) => `p${i}`);
  const small = writeRun(join(root, "small"), ids.flatMap((id, i) => [1, 4, 16].flatMap((n) => [
    metricRecord(id, "majority", n, i < 6 + n / 2, { samples: Array.from({ length: 16 }, (_, k) => k < i), flops: 100 * n, level: 1 + (i % 3) }),
    metricRecord(id, "weighted-best-of-n", n, i < 7 + n / 2, { samples: Array.from({ length: 16 }, (_, k) => k < i), score: i / 20, flops: 130 * n, level: 1 + (i % 3) }),
  ])));
  const large = writeRun(join(root, "large"), ids.map((id, i) => metricRecord(id, "greedy", 1, i < 9, { model: "large", flops: 400 })));

  it("writes a self-contained page, a markdown summary and the same plots as PNG", async () => {
    const report = await writeReport({ dir: small, baselineDir: large });
    const names = report.pngs.map((p) => p.split("/").at(-1));
    assert.deepEqual(names, [
      "accuracy-vs-budget.png", "compute-frontier.png", "accuracy-by-oracle-bin.png", "accuracy-by-predicted-bin.png", "accuracy-by-level-bin.png", "flops-matched.png", "flops-matched-by-bin.png",
    ]);
    for (const png of report.pngs) assert.deepEqual([...readFileSync(png).subarray(1, 4)], [...Buffer.from("PNG")], png);
    const html = readFileSync(report.html, "utf8");
    assert.equal(html.match(/<svg/g)?.length, 7, "every plot inline as SVG");
    for (const png of names) assert.match(html, new RegExp(`href="plots/${png}"`), "each figure links its PNG");
    assert.doesNotMatch(html, /<script|<link|<img|src="http|href="http|url\(http|@import/, "nothing loaded from the network");
    const order = ["id=\"summary\"", "class=\"headline\"", "id=\"plots\"", "id=\"tables\"", "id=\"configuration\""].map((m) => html.indexOf(m));
    assert.ok(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!)), `summary, plots, tables, configuration in that order: ${order}`);

    const md = readFileSync(report.markdown, "utf8");
    // weighted-best-of-n is right on p0–p14 at N = 16, majority on p0–p13: one problem apart.
    assert.match(md, /\*\*At N = 16 on 20 problems, weighted-best-of-n is the most accurate strategy: 75\.0% \[.*\], \+5\.0 points \(paired 95% interval .*\) over majority, for 1\.30× its processed FLOPs\.\*\*/);
    assert.match(md, /\| majority ⚠ \| 20 \| 35\.0% \[/, "majority at N=1 solves p0–p6, 7 of 20; 20 problems are flagged as few");
    assert.match(md, /> ⚠ The run has 20 problems/, "the whole run is too small to trust");
    assert.match(md, /4\.00× the parameters/);
    assert.match(md, /problems fingerprint \| 6:/);
    assert.match(md, /results\.jsonl sha256 \| `[0-9a-f]{16}…`/);
  });

  it("explains a missing comparison instead of drawing it", async () => {
    const report = await writeReport({ dir: small, outDir: join(root, "no-baseline") });
    assert.ok(!existsSync(join(root, "no-baseline", "plots", "flops-matched.png")));
    assert.match(readFileSync(report.markdown, "utf8"), /Not computed: no larger model's run given/);
  });

  it("compares two runs cell by cell with paired differences, and says which cells only one run holds", async () => {
    const better = writeRun(join(root, "better"), ids.flatMap((id, i) => [4, 16].map((n) => metricRecord(id, "majority", n, i < 12 + n / 2, { flops: 90 * n }))));
    const written = await writeComparison({ dirs: [small, better], outDir: join(root, "compare") });
    assert.deepEqual(written.labels, ["small", "better"]);
    const md = readFileSync(written.markdown, "utf8");
    // At N = 16 small's majority is right on p0–p13, better's on all 20: +30 points, never worse on a problem.
    assert.match(md, /At N = 16 on the 20 problems both runs answered, better minus small in points \(paired 95% interval\): majority \+30\.0 \[\+10\.0, \+50\.0\] \(100\.0% vs 70\.0%\); the interval excludes 0 for majority\./);
    assert.match(md, /weighted-best-of-n N=1 \(small only\)/);
    const html = readFileSync(written.html, "utf8");
    assert.equal(html.match(/<svg/g)?.length, 2);
    assert.doesNotMatch(html, /<script|src="http|href="http/);
  });
});
