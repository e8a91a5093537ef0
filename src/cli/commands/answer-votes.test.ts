import assert from "node:assert/strict";
import { test } from "node:test";
import { runPonder } from "../../../test/run-cli.js";
import type { Candidate } from "../../core/candidate.js";
import type { StrategyResult } from "../../strategies/strategy.js";
import { answerVotes, formatVotes } from "./answer-votes.js";
import type { SolveOutput } from "./solve.js";

const candidate = (answer: string | null, score: number): Candidate => ({ steps: [`The answer is ${answer}`], finishReason: "end", answer, answerKey: answer, score });

test("the vote per answer shows why 42 wins a weighted vote over a single top-scored 72", () => {
  const candidates = [candidate("42", 0.6), candidate("72", 0.95), candidate("42", 0.55), candidate(null, 0.9), candidate("42", 0.5)];
  const result = { strategy: "weighted-best-of-n", answer: "42", answerKey: "42", chosen: candidates[0]!, candidates } as StrategyResult;
  const votes = answerVotes(result);
  assert.deepEqual(votes.map((v) => [v.answer, v.candidates, Number(v.scoreSum.toFixed(2)), v.bestScore, v.chosen]), [
    ["42", 3, 1.65, 0.6, true],
    ["72", 1, 0.95, 0.95, false],
  ]);
  assert.equal(formatVotes(votes, true).split("\n")[2], "42               3      1.650       0.600  ← chosen");
});

test("ponder solve prints the votes, and --json carries them (the demo policy)", async () => {
  const args = ["--policy", "policy-small", "--verifier", "none", "--strategy", "majority", "--budget", "8", "--seed", "2", "Ann has 12 apples. Ann buys 7 more. Ann gives away 5. How many apples does Ann have now?"];
  const text = await runPonder(["solve", ...args]);
  assert.equal(text.code, 0, text.stderr);
  const json = await runPonder(["solve", ...args, "--json"]);
  const out = JSON.parse(json.stdout) as SolveOutput;
  assert.equal(out.votes.reduce((n, v) => n + v.candidates, 0), out.candidates.filter((c) => c.answer !== null).length);
  assert.ok(out.answer !== null && out.votes.length > 0);
  assert.match(text.stdout, /\nVotes \(majority\):\nanswer +candidates\n/);
  assert.deepEqual(out.votes.filter((v) => v.chosen).map((v) => v.answer), [out.answer]);
  assert.equal(out.votes[0]!.answer, out.answer, "majority's answer has the most candidates");
});
