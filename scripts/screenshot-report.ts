// Screenshots of a report for the README: the top of report.html (summary and the first plots) as
// a reader's browser shows it, in Debian's headless Chromium.
//   node --import tsx scripts/screenshot-report.ts runs/demo/report.html docs/report-example.png [--width 1200] [--height 1400] [--from '#plots']
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { HeadlessChromium } from "../test/headless-chromium.js";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { width: { type: "string", default: "1200" }, height: { type: "string", default: "1400" }, from: { type: "string" } } });
const [page, out] = positionals;
if (!page || !out) throw new Error("usage: screenshot-report.ts <report.html> <out.png> [--width W] [--height H] [--from CSS-selector]");
const [width, height] = [Number(values.width), Number(values.height)];
const browser = await HeadlessChromium.launch({ width, height });
try {
  await browser.open(pathToFileURL(resolve(page)).href);
  if (browser.problems.length > 0) throw new Error(`the page reported problems: ${JSON.stringify(browser.problems)}`);
  const y = values.from ? await browser.evaluate<number>(`Math.max(0, document.querySelector(${JSON.stringify(values.from)}).getBoundingClientRect().top + scrollY - 12)`) : 0;
  const total = await browser.evaluate<number>("document.documentElement.scrollHeight");
  await browser.send("Emulation.setDeviceMetricsOverride", { width, height: total, deviceScaleFactor: 1, mobile: false });
  const clip = { x: 0, y, width, height: Math.min(height, total - y), scale: 1 };
  const { data } = (await browser.send("Page.captureScreenshot", { format: "png", clip, captureBeyondViewport: true })) as { data: string };
  writeFileSync(out, Buffer.from(data, "base64"));
  console.log(`${out}: ${width}×${clip.height} from y=${y}`);
} finally {
  await browser.close();
}
