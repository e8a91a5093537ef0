import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { evalFixtureConfig } from "../../test/eval-fixture.js";
import { CHROMIUM, HeadlessChromium } from "../../test/headless-chromium.js";
import { metricRecord } from "../../test/metric-record.js";
import { ResultsStore } from "../eval/results-store.js";
import { writeComparison } from "./write-comparison.js";
import { writeReport } from "./write-report.js";

// The report as a reader sees it: opened from disk in Debian's headless Chromium, offline. Any
// console error, failed load, request off the machine or empty plot fails the test. Without
// Chromium the test skips locally and fails in CI, which installs it (.ci/run).
const missing = !existsSync(CHROMIUM);
if (missing && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)`);

/** What the page shows, measured in the browser. */
interface PageFacts {
  title: string;
  h1: string;
  headline: string;
  warnings: number;
  figures: { id: string; width: number; height: number; png: string }[];
  images: { src: string; ok: boolean }[];
  tablesInTables: number;
  /** Top of each main element in page coordinates, for their order. */
  tops: { summary: number; firstFigure: number; firstTable: number; configuration: number };
  overflowX: boolean;
}

const FACTS = `(() => {
  const top = (sel) => { const e = document.querySelector(sel); return e ? e.getBoundingClientRect().top + scrollY : -1; };
  return {
    title: document.title,
    h1: document.querySelector("h1")?.textContent ?? "",
    headline: document.querySelector("#summary p.headline")?.textContent ?? "",
    warnings: document.querySelectorAll("p.warning").length,
    figures: [...document.querySelectorAll("figure")].map((f) => {
      const r = f.querySelector(".plot svg")?.getBoundingClientRect();
      return { id: f.id, width: r?.width ?? 0, height: r?.height ?? 0, png: f.querySelector("a.png")?.getAttribute("href") ?? "" };
    }),
    images: [...document.images].map((i) => ({ src: i.src, ok: i.complete && i.naturalWidth > 0 })),
    tablesInTables: document.querySelectorAll("#tables table").length,
    tops: { summary: top("#summary"), firstFigure: top("figure"), firstTable: top("#tables table"), configuration: top("#configuration") },
    overflowX: document.documentElement.scrollWidth > innerWidth + 1,
  };
})()`;

describe("the report in headless Chromium", { skip: missing ? `${CHROMIUM} not installed (apt-get install -y chromium)` : false }, () => {
  const root = mkdtempSync(join(tmpdir(), "ponder-browser-"));
  const ids = Array.from({ length: 40 }, (_, i) => `p${i}`);
  const run = (dir: string, shift: number) => {
    const store = ResultsStore.open(join(root, dir), evalFixtureConfig());
    store.append(ids.flatMap((id, i) => [1, 4, 16].flatMap((n) => [
      metricRecord(id, "majority", n, i < 12 + n / 2 + shift, { samples: Array.from({ length: 16 }, (_, k) => k < (i * 16) / 40), flops: 100 * n, level: 1 + (i % 4) }),
      metricRecord(id, "weighted-best-of-n", n, i < 13 + n / 2 + shift, { samples: Array.from({ length: 16 }, (_, k) => k < (i * 16) / 40), score: i / 40, flops: 130 * n, level: 1 + (i % 4) }),
      metricRecord(id, "beam-search", n, i < 14 + shift - n / 4, { flops: 400 * n, level: 1 + (i % 4) }),
    ])));
    store.close();
    return join(root, dir);
  };
  const small = run("small", 0);
  const other = run("other", 3);
  const large = ResultsStore.open(join(root, "small", "baseline"), evalFixtureConfig());
  large.append(ids.map((id, i) => metricRecord(id, "greedy", 1, i < 20, { model: "large", flops: 500 })));
  large.close();
  let browser: HeadlessChromium;

  before(async () => {
    browser = await HeadlessChromium.launch({ width: 1280, height: 900 });
  });
  after(async () => {
    await browser?.close();
  });

  const open = async (html: string): Promise<PageFacts> => {
    browser.problems.length = 0;
    await browser.open(pathToFileURL(resolve(html)).href);
    return browser.evaluate<PageFacts>(FACTS);
  };
  const checkFigures = (facts: PageFacts, html: string, count: number) => {
    assert.equal(facts.figures.length, count);
    for (const f of facts.figures) {
      assert.ok(f.width > 300 && f.height > 150, `${f.id} is drawn (${f.width}×${f.height})`);
      const png = join(dirname(html), f.png);
      assert.ok(existsSync(png) && readFileSync(png).subarray(1, 4).toString() === "PNG", `${f.id}'s PNG ${png}`);
    }
    assert.deepEqual(facts.images.filter((i) => !i.ok), [], "no broken image");
  };

  it("opens a run's report with no console error, no request off the machine, every plot drawn, summary first and configuration last", async () => {
    const report = await writeReport({ dir: small, baselineDir: join(small, "baseline") });
    const facts = await open(report.html);
    assert.deepEqual(browser.problems, [], "the page reported problems");
    assert.match(facts.h1, /^ponder eval report: /);
    assert.match(facts.headline, /^At N = 16 on 40 problems, .* \d+\.\d% \[\d+%–\d+%\], [+−]\d+\.\d points \(paired 95% interval/);
    assert.ok(facts.warnings >= 1, "per-bin cells of 10 problems are flagged");
    checkFigures(facts, report.html, 7);
    assert.ok(facts.tablesInTables >= 5);
    const { summary, firstFigure, firstTable, configuration } = facts.tops;
    assert.ok(0 <= summary && summary < firstFigure && firstFigure < firstTable && firstTable < configuration, `order: ${JSON.stringify(facts.tops)}`);
    assert.equal(facts.overflowX, false, "nothing wider than the window");
  });

  it("opens a comparison of two runs the same way", async () => {
    const written = await writeComparison({ dirs: [small, other], outDir: join(root, "compare") });
    const facts = await open(written.html);
    assert.deepEqual(browser.problems, []);
    assert.match(facts.h1, /^ponder comparison: other vs small$/);
    assert.match(facts.headline, /^At N = 16 on the 40 problems both runs answered, other minus small in points \(paired 95% interval\): majority \+7\.5 \[/);
    checkFigures(facts, written.html, 2);
  });

  it("catches what it is meant to catch: a console error, a broken image, a request off the machine", async () => {
    const page = join(root, "broken.html");
    writeFileSync(page, `<!doctype html><html><body><h1>broken</h1><img src="missing.png"><img src="https://example.invalid/x.png"><script>console.error("boom")</script></body></html>`);
    const facts = await open(page);
    const kinds = new Set(browser.problems.map((p) => p.kind));
    assert.ok(kinds.has("console") && kinds.has("network"), JSON.stringify(browser.problems));
    assert.equal(facts.images.filter((i) => !i.ok).length, 2);
  });
});
