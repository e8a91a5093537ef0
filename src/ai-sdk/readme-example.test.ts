import assert from "node:assert/strict";
import { test } from "node:test";
import { readmeExample, runReadmeExample } from "../../test/readme-example.js";

test("the README's AI SDK example runs against the demo models through the SDK and prints what its comment says", async () => {
  const { code, prints } = readmeExample("### With the Vercel AI SDK");
  assert.ok(prints, "the example's console.log line ends with a comment saying what it prints");
  assert.equal((await runReadmeExample(code, ["ai"])).trim(), prints);
});
