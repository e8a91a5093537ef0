import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, it } from "node:test";
import { evalFixtureConfig } from "../../test/eval-fixture.js";
import { FullDisk } from "../../test/full-disk.js";
import type { EvalRecord } from "./eval-record.js";
import { ResultsWriteError } from "./errors/results-write-error.js";
import { RunConfigMismatchError } from "./errors/run-config-mismatch-error.js";
import { RunDirectoryError } from "./errors/run-directory-error.js";
import { RunLockedError } from "./errors/run-locked-error.js";
import { QUARANTINE_FILE, RESULTS_FILE, ResultsStore } from "./results-store.js";

function record(problemId: string, budget: number, answer = "7"): EvalRecord {
  return {
    problemId, strategy: "majority", budget, seed: 0, answer, answerKey: answer, gold: "7", correct: answer === "7",
    candidates: [{ text: `3 + 4 = ${answer}\nThe answer is ${answer}`, finishReason: "end", answer, answerKey: answer, correct: answer === "7" }],
    usage: { m: { generations: budget, calls: budget, promptTokens: 10, cachedPromptTokens: 0, completionTokens: 9, flops: 38, wallMs: 1 } },
    stoppedBy: "complete", subsampled: false, details: {},
  };
}

const tempDir = () => mkdtempSync(join(tmpdir(), "ponder-store-"));
const line = (r: EvalRecord) => JSON.stringify(r) + "\n";
const lines = (dir: string) => readFileSync(join(dir, RESULTS_FILE), "utf8").split("\n").filter(Boolean);
/** The fixture plans problems a and b at budgets 1, 2, 4 for majority (a subset of its cells suffices here). */
const planned = (r: EvalRecord) => (["a", "b"].includes(r.problemId) && r.strategy === "majority" && [1, 2, 4].includes(r.budget) && r.seed === 0 ? null : "not in the test plan");

describe("ResultsStore", () => {
  it("sets a torn last line aside on resume and keeps every complete record", () => {
    const dir = tempDir();
    const config = evalFixtureConfig();
    const store = ResultsStore.open(dir, config);
    store.append([record("a", 1), record("a", 2)]);
    store.close();
    const whole = JSON.stringify(record("b", 1));
    appendFileSync(join(dir, RESULTS_FILE), whole.slice(0, whole.length / 2));

    assert.equal(ResultsStore.read(dir).records.length, 2, "reading leaves the torn line out");
    const resumed = ResultsStore.open(dir, config);
    assert.equal(resumed.resumed.length, 2);
    assert.ok(resumed.tornBytes > 0);
    assert.ok(resumed.has('["a","majority",2,0]'));
    assert.deepEqual(resumed.append([record("a", 2), record("b", 1)]).map((r) => r.problemId), ["b"], "a stored record is not written twice");
    resumed.close();
    assert.equal(lines(dir).length, 3);
    assert.deepEqual(ResultsStore.read(dir).records.map((r) => `${r.problemId}${r.budget}`), ["a1", "b1", "a2"], "records come back in canonical order: budget, then problem");
    const quarantined = readFileSync(join(dir, QUARANTINE_FILE), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { text: string; reason: string });
    assert.equal(quarantined[0]!.text, whole.slice(0, whole.length / 2), "the torn bytes are kept verbatim");
  });

  it("refuses to resume under another configuration, naming each differing field", () => {
    const dir = tempDir();
    ResultsStore.open(dir, evalFixtureConfig()).close();
    assert.throws(
      () => ResultsStore.open(dir, evalFixtureConfig({ budgets: [1, 2, 8], temperature: 0.5 })),
      (e: unknown) => e instanceof RunConfigMismatchError && e.differences.map((d) => d.field).join() === "budgets,temperature" && /budgets \(stored \[1,2,4\], requested \[1,2,8\]\)/.test(e.message),
    );
    ResultsStore.open(dir, evalFixtureConfig()).close();
  });

  it("moves damaged, null, {}, duplicate and foreign lines to the quarantine with a notice each, skips blank lines, and resumes with the rest", () => {
    const dir = tempDir();
    const config = evalFixtureConfig();
    ResultsStore.open(dir, config).close();
    const first = line(record("a", 1));
    const bad = ["{not json\n", "null\n", "{}\n", "\n", line(record("a", 1, "8")), line(record("zzz", 1)), line({ ...record("a", 4), budget: 0 })];
    writeFileSync(join(dir, RESULTS_FILE), first + bad.join("") + line(record("b", 2)));

    const read = ResultsStore.read(dir, { accept: planned });
    assert.deepEqual(read.records.map((r) => `${r.problemId}${r.budget}`), ["a1", "b2"]);
    assert.equal(read.notices.length, 7, read.notices.join("\n"));
    assert.equal(lines(dir).length, 8, "reading changes nothing");

    const store = ResultsStore.open(dir, config, { accept: planned });
    assert.deepEqual(store.resumed.map((r) => `${r.problemId}${r.budget}`), ["a1", "b2"]);
    const notices = store.notices.join("\n");
    assert.match(notices, new RegExp(`${RESULTS_FILE}:2: not valid JSON`));
    assert.match(notices, /:3: not a record: a record is a JSON object; this line holds null/);
    assert.match(notices, /:4: not a record: problemId: /);
    assert.match(notices, /:6: a second record for \["a","majority",1,0\] \(the first, on line 1, is kept\)/);
    assert.match(notices, /:7: a record this run does not plan: not in the test plan/);
    assert.match(notices, /:8: not a record: budget: /);
    assert.match(notices, /1 blank line removed/);
    assert.equal(store.resumed[0]!.answer, "7", "the first of two records with one key is kept");
    store.append([record("b", 1)]);
    store.close();

    assert.deepEqual(lines(dir), [first.trim(), line(record("b", 2)).trim(), line(record("b", 1)).trim()], "the kept records, as stored, then the new one");
    const quarantine = readFileSync(join(dir, QUARANTINE_FILE), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { line: number; text: string });
    assert.deepEqual(quarantine.map((q) => q.line), [2, 3, 4, 6, 7, 8]);
    assert.deepEqual(quarantine.map((q) => q.text + "\n"), bad.filter((b) => b !== "\n"), "every set-aside line is kept verbatim: nothing stored is lost");
    assert.deepEqual(ResultsStore.open(dir, config, { accept: planned }).notices, [], "a second resume finds nothing to set aside");
  });

  it("cuts a failed append (a short write, then a full disk) back to the last complete record, and appends cleanly once space is freed", () => {
    const dir = tempDir();
    const config = evalFixtureConfig();
    const disk = new FullDisk(line(record("a", 1)).length + 40);
    const store = ResultsStore.open(dir, config, { io: disk });
    store.append([record("a", 1)]);
    assert.throws(
      () => store.append([record("a", 2), record("b", 1)]),
      (e: unknown) => e instanceof ResultsWriteError && e.restored && e.records === 2 && /no space left on the device \(ENOSPC\)/.test(e.message) && !/\n/.test(e.message),
    );
    assert.equal(disk.shortWrites, 1, "the write stored 40 bytes before the disk filled");
    assert.deepEqual(lines(dir), [line(record("a", 1)).trim()], "no torn record is left to fuse with the next append");
    disk.free(1 << 20);
    assert.equal(store.append([record("a", 2), record("b", 1)]).length, 2, "the same records are written once space is back");
    store.close();
    const reopened = ResultsStore.open(dir, config);
    assert.deepEqual([reopened.resumed.length, reopened.tornBytes, reopened.notices.length], [3, 0, 0]);
    reopened.close();
  });

  it("refuses further appends when a failed append cannot be cut back, and the next resume sets the torn end aside", () => {
    const dir = tempDir();
    const config = evalFixtureConfig();
    const disk = new FullDisk(30);
    disk.failTruncate = true;
    const store = ResultsStore.open(dir, config, { io: disk });
    assert.throws(() => store.append([record("a", 1)]), (e: unknown) => e instanceof ResultsWriteError && !e.restored);
    disk.free(1 << 20);
    assert.throws(() => store.append([record("b", 1)]), (e: unknown) => e instanceof ResultsWriteError && /no further record is written/.test(e.message));
    store.close();
    const resumed = ResultsStore.open(dir, config);
    assert.deepEqual([resumed.resumed.length, resumed.tornBytes], [0, 30]);
    resumed.close();
  });

  it("names the real cause when the run directory cannot be created", () => {
    const root = tempDir();
    writeFileSync(join(root, "file"), "");
    assert.throws(
      () => ResultsStore.open(join(root, "file", "run"), evalFixtureConfig()),
      (e: unknown) => e instanceof RunDirectoryError && e.code === "ENOTDIR" && e.message.includes(join(root, "file")),
    );
  });

  it("names a read-only file system as the cause, not ENOENT (a real read-only tmpfs where this user may mount one)", async (t) => {
    const mountPoint = tempDir();
    const mounted = await promisify(execFile)("mount", ["-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", mountPoint]).then(
      () => true,
      () => false,
    );
    if (!mounted) {
      t.diagnostic("cannot mount here (not root); the ENOTDIR test above covers the cause-finding path");
      return;
    }
    try {
      assert.throws(
        () => ResultsStore.open(join(mountPoint, "runs", "a"), evalFixtureConfig()),
        (e: unknown) => e instanceof RunDirectoryError && e.code === "EROFS" && /read-only/.test(e.message) && e.message.includes(mountPoint),
      );
    } finally {
      await promisify(execFile)("umount", [mountPoint]);
    }
  });
});

describe("the run lock", () => {
  it("of processes racing for a run directory, exactly one takes it, whether the directory is free or holds a stale lock", async () => {
    const root = tempDir();
    const trials = 12;
    const stale = (i: number) => i % 2 === 1;
    for (let i = 0; i < trials; i++) {
      mkdirSync(join(root, `trial-${i}`));
      // Odd trials start from the lock of a process that is gone, which every racer tries to take over.
      if (stale(i)) writeFileSync(join(root, `trial-${i}`, "lock"), JSON.stringify({ pid: 999_999_999, started: "1", command: "ponder eval" }));
    }
    const racers = 5;
    const children = Array.from({ length: racers }, () => {
      const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "../../test/lock-racer.ts"), root, String(trials), "150"], { stdio: ["pipe", "pipe", "inherit"] });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      const seen = (text: string) => new Promise<void>((resolve) => child.stdout.on("data", () => out.includes(text) && resolve()));
      return { child, ready: seen("ready\n"), done: seen("done\n"), exited: new Promise((resolve) => child.on("exit", resolve)), output: () => out };
    });
    // Every racer has loaded before the start time is set, so none arrives late on a loaded machine.
    await Promise.all(children.map((c) => c.ready));
    const start = Date.now() + 300;
    for (const c of children) c.child.stdin.write(`${start}\n`);
    await Promise.all(children.map((c) => c.done));
    for (const c of children) c.child.stdin.end();
    await Promise.all(children.map((c) => c.exited));
    const outputs = children.map((c) => c.output().replace(/^ready\n/, "").replace(/done\n$/, ""));
    const results = outputs.flatMap((o) => o.trim().split("\n"));
    assert.equal(results.length, racers * trials);
    for (let i = 0; i < trials; i++) {
      const winners = results.filter((r) => r === `${i} won`).length;
      assert.equal(winners, 1, `trial ${i} (${stale(i) ? "stale lock" : "free"}): ${winners} winners`);
    }
  });

  it("takes over a lock whose pid now belongs to another process, and refuses a live holder naming the lock file to delete", async () => {
    const dir = tempDir();
    ResultsStore.open(dir, evalFixtureConfig()).close();
    const lock = join(dir, "lock");
    const sleeper = spawn("sleep", ["30"]);
    await new Promise((resolve) => sleeper.once("spawn", resolve));
    try {
      const started = readFileSync(`/proc/${sleeper.pid}/stat`, "utf8").split(") ")[1]!.split(" ")[19];
      writeFileSync(lock, JSON.stringify({ pid: sleeper.pid, started: String(Number(started) - 1), command: "ponder eval" }));
      ResultsStore.open(dir, evalFixtureConfig()).close(); // the pid was reused: stale

      writeFileSync(lock, String(sleeper.pid)); // an older ponder's lock naming a process that is not ponder
      ResultsStore.open(dir, evalFixtureConfig()).close();

      writeFileSync(lock, JSON.stringify({ pid: sleeper.pid, started, command: "ponder eval" }));
      assert.throws(
        () => ResultsStore.open(dir, evalFixtureConfig()),
        (e: unknown) => e instanceof RunLockedError && e.pid === sleeper.pid && e.message.includes(`delete ${lock}`) && !/another --out/.test(e.message),
      );
      assert.equal(ResultsStore.read(dir).records.length, 0, "reading needs no lock");
    } finally {
      sleeper.kill();
    }
  });

  it("stops appending when its lock is removed or taken over, and releases only its own lock", () => {
    const dir = tempDir();
    const store = ResultsStore.open(dir, evalFixtureConfig());
    store.append([record("a", 1)]);
    unlinkSync(join(dir, "lock"));
    assert.throws(() => store.append([record("a", 2)]), RunLockedError);
    const other = ResultsStore.open(dir, evalFixtureConfig());
    store.close();
    assert.ok(existsSync(join(dir, "lock")), "closing the displaced store leaves the new holder's lock");
    other.close();
    assert.throws(() => statSync(join(dir, "lock")), "the lock is released on close");
  });
});
