import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { it } from "node:test";

// The consumer test (scripts/consumer-test.js) inside `npm test`, so every run of the tests, on
// each Node version CI uses, packs ponder, installs the tarball into a fresh project, imports it
// from plain Node 20 and 24 and type-checks a strict TypeScript consumer. It is a script of its
// own because it is a sequence of shell steps a person may want to run and read alone
// (`npm run test:consumer`); here its output is kept and shown when it fails.
it("the packed tarball installs into a fresh project, imports from plain Node and type-checks strictly", { timeout: 20 * 60_000 }, async () => {
  const script = join(import.meta.dirname, "..", "scripts", "consumer-test.js");
  const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  assert.equal(code, 0, `scripts/consumer-test.js exited ${code}:\n${output}`);
  // The checks the script reports passing, so a script that silently stops checking cannot pass here.
  const passed = output.split("\n").filter((line) => line.startsWith("ok - "));
  for (const expected of [/the tarball holds no sources/, /README's library example answers 19/, /ponder --version prints/, /moduleResolution nodenext/, /moduleResolution node16/, /moduleResolution bundler/, /moduleResolution node10/]) {
    assert.ok(passed.some((line) => expected.test(line)), `no passing check matches ${expected}:\n${output}`);
  }
  process.stdout.write(`# ${output.split("\n").find((line) => /\.tgz: /.test(line))}\n# ${passed.length} consumer checks passed\n`);
});
