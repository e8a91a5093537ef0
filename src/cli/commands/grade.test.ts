import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runPonder } from "../../../test/run-cli.js";

const grade = (args: string[]) => runPonder(["grade", ...args]);

test("ponder grade --cases writes every line back in order with its verdict and rule, and --summary counts agreement", async () => {
  const file = join(mkdtempSync(join(tmpdir(), "ponder-grade-")), "cases.jsonl");
  const lines = [
    { gold: "\\frac{1}{2}", pred: "so the answer is $0.5$", equal: true, id: "a" },
    { gold: "(1, 2)", pred: "\\boxed{(2, 1)}", equal: true, id: "b" },
    { gold: "12", pred: "#### 12", id: "c" },
    { gold: "1, 2, 3", pred: "\\boxed{3, 2, 1}", question: "List them in increasing order.", id: "d" },
  ];
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  const { code, stdout, stderr } = await grade(["--cases", file, "--summary"]);
  assert.equal(code, 0, stderr);
  const out = stdout.trim().split("\n").map((l) => JSON.parse(l) as { id: string; equal: boolean; expected?: boolean; extracted: { reason: string } });
  assert.deepEqual(out.map((l) => l.id), ["a", "b", "c", "d"]);
  assert.deepEqual(out.map((l) => l.equal), [true, false, true, false]);
  assert.deepEqual(out.map((l) => l.expected), [true, true, undefined, undefined]);
  assert.deepEqual(out.map((l) => l.extracted.reason), ["same exact value", "items differ", "same expression", "items differ; list compared in order (the question asks for an order)"]);
  assert.match(stderr, /graded 4 lines; agreement with their own labels: 1\/2 = 50\.00%/);
  assert.match(stderr, /line 2: label true, ponder false: "\(1, 2\)" vs "\(2, 1\)" \(items differ\)/);
});

test("ponder grade --cases names the line and field of a malformed line, grades the others and exits 2", async () => {
  const file = join(mkdtempSync(join(tmpdir(), "ponder-grade-")), "bad.jsonl");
  writeFileSync(file, '{"gold":"1","pred":"1"}\n{"gold":"1"}\nnot json\n{"gold":"2","pred":"3"}\n');
  const bad = await grade(["--cases", file]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /bad\.jsonl:2 \(field "pred"\): expected a string or number/);
  assert.match(bad.stderr, /bad\.jsonl:3: not valid JSON/);
  assert.deepEqual(bad.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { equal: boolean }).equal), [true, false]);
});

test("ponder grade --gold --pred exits 0 when equal, 1 when different, 2 on bad input, 3 when undecided, and --json prints the rule", async () => {
  const equal = await grade(["--gold", "50\\%", "--pred", "The answer is 0.5", "--json"]);
  assert.equal(equal.code, 0, equal.stderr);
  const result = JSON.parse(equal.stdout) as { equal: boolean; gold: string; pred: string; how: string; reason: string; ms: number };
  assert.deepEqual([result.equal, result.gold, result.pred, result.how], [true, "50\\%", "0.5", "compared"]);
  assert.equal(result.reason, "percent as a fraction > same exact value");
  const different = await grade(["--gold", "2,4,3", "--pred", "2,3,4"]);
  assert.equal(different.code, 1);
  assert.match(different.stdout, /^not equal .*in order \(the gold lists 3\+ values out of sorted order\)/);
  const missing = await grade(["--gold", "1"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /invalid --pred: missing/);
  // Both sides beyond double range with one magnitude: neither equal nor different.
  const undecided = await grade(["--gold", "3^{100000}", "--pred", "9^{50000}", "--json"]);
  assert.equal(undecided.code, 3, undecided.stderr);
  assert.deepEqual((({ equal, how }) => [equal, how])(JSON.parse(undecided.stdout) as { equal: null; how: string }), [null, "unknown"]);
  const renamed = await grade(["--gold", "f(x) = x^2", "--pred", "f(t) = t^2", "--no-strict"]);
  assert.equal(renamed.code, 0, renamed.stdout);
  assert.equal((await grade(["--gold", "f(x) = x^2", "--pred", "f(t) = t^2"])).code, 1);
  const badTimeout = await grade(["--gold", "1", "--pred", "1", "--timeout", "soon"]);
  assert.equal(badTimeout.code, 2);
});
