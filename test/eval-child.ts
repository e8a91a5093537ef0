// Runs the fixture evaluation into the directory given as the first argument, so a test can kill it.
// The optional second argument slows each verifier call by that many milliseconds (fault injection).
import { evaluateIter } from "../src/eval/run-eval.js";
import { evalFixture } from "./eval-fixture.js";
import { HashVerifier } from "./hash-verifier.js";

const [out, delay = "0"] = process.argv.slice(2);
if (!out) throw new Error("usage: eval-child.ts <out-dir> [verifier-delay-ms]");
const { engine, options } = await evalFixture();
const deps = { ...options.deps, verifier: new HashVerifier({ delayMs: Number(delay) }) };
for await (const event of evaluateIter({ ...options, deps, out })) {
  if (event.type === "start") process.stdout.write(`start resumed=${event.resumedRecords} torn=${event.tornBytes}\n`);
  if (event.type === "done") process.stdout.write(`done ${event.records.length}\n`);
}
await engine.dispose();
