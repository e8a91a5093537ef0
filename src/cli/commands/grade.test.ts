import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runPonder } from "../../../test/run-cli.js";

const grade = (args: string[]) => runPonder(["grade", ...args]);

test("ponder grade --cases writes every line back in order with its verdict, and --summary counts agreement", async () => {
  const file = join(mkdtempSync(join(tmpdir(), "ponder-grade-")), "cases.jsonl");
  const lines = [
    { gold: "\\frac{1}{2}", pred: "so the answer is $0.5$", equal: true, id: "a" },
    { gold: "(1, 2)", pred: "\\boxed{(2, 1)}", equal: true, id: "b" },
    { gold: "12", pred: "#### 12", id: "c" },
  ];
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  const { code, stdout, stderr } = await grade(["--cases", file, "--summary"]);
  assert.equal(code, 0, stderr);
  const out = stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(out.map((l) => l.id), ["a", "b", "c"]);
  assert.deepEqual(out.map((l) => l.equal), [true, false, true]);
  assert.deepEqual(out.map((l) => l.expected), [true, true, undefined]);
  assert.match(stderr, /graded 3 lines; agreement with their own labels: 1\/2 = 50\.00%/);
  assert.match(stderr, /line 2: label true, ponder false/);
});

test("ponder grade names the line and field of malformed input, and grades one pair", async () => {
  const file = join(mkdtempSync(join(tmpdir(), "ponder-grade-")), "bad.jsonl");
  writeFileSync(file, '{"gold":"1","pred":"1"}\n{"gold":"1"}\n');
  const bad = await grade(["--cases", file]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /bad\.jsonl:2 \(field "pred"\): expected a string or number/);
  const pair = await grade(["--gold", "50\\%", "--pred", "The answer is 0.5", "--json"]);
  assert.equal(pair.code, 0, pair.stderr);
  assert.equal((JSON.parse(pair.stdout) as { equal: boolean }).equal, true);
});
