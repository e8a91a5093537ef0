import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { evalFixtureConfig } from "../../test/eval-fixture.js";
import { metricRecord } from "../../test/metric-record.js";
import { ResultsStore } from "../eval/results-store.js";
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

  it("writes a self-contained page, a markdown summary and a PNG per plot", async () => {
    const report = await writeReport({ dir: small, baselineDir: large });
    const names = report.pngs.map((p) => p.split("/").at(-1));
    assert.deepEqual(names, ["accuracy-vs-budget.png", "accuracy-by-oracle-bin.png", "accuracy-by-predicted-bin.png", "accuracy-by-level-bin.png", "compute-frontier.png", "flops-matched.png"]);
    for (const png of report.pngs) assert.deepEqual([...readFileSync(png).subarray(1, 4)], [...Buffer.from("PNG")], png);
    const html = readFileSync(report.html, "utf8");
    assert.equal(html.match(/<svg/g)?.length, 6, "every plot inline");
    assert.doesNotMatch(html, /<script|<link|src="http|href="http|url\(http/, "nothing loaded from the network");
    const md = readFileSync(report.markdown, "utf8");
    assert.match(md, /\| majority \| 35\.0% \[/, "majority at N=1 solves p0–p6, 7 of 20");
    assert.match(md, /FLOPs-matched/);
    assert.match(md, /4\.00× the parameters/);
  });

  it("explains a missing comparison instead of drawing it", async () => {
    const report = await writeReport({ dir: small, outDir: join(root, "no-baseline") });
    assert.ok(!existsSync(join(root, "no-baseline", "plots", "flops-matched.png")));
    assert.match(readFileSync(report.markdown, "utf8"), /Not computed: no larger model's run given/);
  });
});
