#!/usr/bin/env node
// `ponder` runs the compiled JavaScript in dist/ (`npm run build`; in a checkout `npm install`
// builds it through the `prepare` script). Development and tests run the sources through tsx.
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli/bin.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("ponder: dist/ is missing; run `npm run build` (in a checkout, `npm install` runs it)\n");
  process.exit(1);
}
await import(entry.href);
