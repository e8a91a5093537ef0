import assert from "node:assert/strict";
import { test } from "node:test";
import { tinyModelPath } from "../../../test/tiny-model.js";
import { totalUsage } from "../../core/usage.js";
import type { SolveOutput } from "./solve.js";
import { runPonder } from "../../../test/run-cli.js";

const solve = (args: string[]) => runPonder(["solve", ...args]);

test("ponder solve --json runs a strategy on the embedded engine and reports candidates and usage; the seed fixes the result", async () => {
  const model = await tinyModelPath({ seed: 3, arithmetic: true });
  const args = ["--policy", model, "--verifier", `prm:${model}`, "--strategy", "beam-search", "--budget", "8", "--max-tokens", "40", "--max-step-tokens", "8", "--max-steps", "3", "--seed", "5", "--json", "Ann has 3 apples."];
  const first = await solve(args);
  assert.equal(first.code, 0, first.stderr);
  const out = JSON.parse(first.stdout) as SolveOutput;
  assert.equal(out.strategy, "beam-search");
  assert.equal(out.question, "Ann has 3 apples.");
  assert.ok(out.candidates.length > 0);
  assert.ok(out.candidates.every((c) => typeof c.score === "number"));
  const usage = totalUsage(out.usage);
  assert.ok(usage.generations <= 8, `spent ${usage.generations} generations of 8`);
  assert.ok(usage.completionTokens > 0 && usage.flops > 0);
  if (out.chosen) assert.equal(out.solution, out.chosen.steps.join("\n"));

  const second = JSON.parse((await solve(args)).stdout) as SolveOutput;
  assert.deepEqual(
    second.candidates.map((c) => c.steps),
    out.candidates.map((c) => c.steps),
  );
  assert.equal(second.answer, out.answer);
});

test("ponder solve prints a readable answer, candidate table and compute table", async () => {
  const model = await tinyModelPath({ seed: 3, arithmetic: true });
  const { code, stdout, stderr } = await solve(["--policy", model, "--verifier", "none", "--strategy", "majority", "--budget", "3", "--max-tokens", "20", "q"]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^Answer: /);
  assert.match(stdout, /Candidates \(3, best first\)/);
  assert.match(stdout, /Compute \(majority, budget 3 generations/);
});

test("ponder solve rejects bad input with exit code 2 and names the field", async () => {
  const bad = await solve(["--strategy", "nope", "q"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /strategy: "nope"; expected majority, best-of-n/);
  const noVerifier = await solve(["--strategy", "beam-search", "--verifier", "none", "q"]);
  assert.equal(noVerifier.code, 2);
  assert.match(noVerifier.stderr, /--verifier/);
  const budget = await solve(["--budget", "0", "q"]);
  assert.equal(budget.code, 2);
  assert.match(budget.stderr, /--budget: "0"; expected an integer from 1 to 4096/);
  for (const text of ["0x10", "1e9", "16.0", " 16", "Infinity", "4097"]) {
    const strict = await solve(["--budget", text, "q"]);
    assert.equal(strict.code, 2, text);
    assert.match(strict.stderr, new RegExp(`--budget: "${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"; expected an integer from 1 to 4096, in decimal digits`));
    assert.equal(strict.stderr.split("\n").filter(Boolean).length, 1, "one line, no stack");
  }
  const tooFew = await solve(["--max-total-tokens", "100", "q"]);
  assert.equal(tooFew.code, 2);
  assert.match(tooFew.stderr, /--max-total-tokens: "100"; expected at least 512, the tokens the first round of weighted-best-of-n may generate/);
});
