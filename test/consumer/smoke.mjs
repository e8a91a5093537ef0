// Plain Node ESM, as a JavaScript user of the installed package writes it: the root and subpath
// exports resolve to compiled code, and deep imports of internals are refused.
import assert from "node:assert/strict";
import * as ponder from "ponder-ttc";
import * as aiSdk from "ponder-ttc/ai-sdk";
import * as grading from "ponder-ttc/grading";

for (const name of ["beamSearch", "bestOfN", "majorityVote", "createGenerator", "createVerifier", "totalUsage", "evaluate", "createServer", "PonderError"]) {
  assert.equal(typeof ponder[name], "function", `ponder-ttc exports ${name}`);
}
assert.equal(grading.answersEqual("\\frac{1}{2}", "0.5"), true);
assert.equal(grading.extractAnswer("so the answer is \\boxed{42}."), "42");
assert.equal(ponder.answersEqual, grading.answersEqual, "one module instance behind both entry points");
for (const name of ["ponderMiddleware", "ponderLanguageModel", "ponderMetadata", "LanguageModelGenerator"]) {
  assert.equal(typeof aiSdk[name], "function", `ponder-ttc/ai-sdk exports ${name}`);
}
assert.equal(aiSdk.ponderMiddleware({ strategy: "majority", budget: 4 }).specificationVersion, "v3");

const { default: manifest } = await import("ponder-ttc/package.json", { with: { type: "json" } });
assert.equal(manifest.name, "ponder-ttc");
await assert.rejects(import("ponder-ttc/dist/core/rng.js"), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
console.log(`smoke: ${Object.keys(ponder).length} exports from ponder-ttc, ${Object.keys(grading).length} from ponder-ttc/grading, ${Object.keys(aiSdk).length} from ponder-ttc/ai-sdk`);
