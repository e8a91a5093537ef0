import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { sharedDataPath } from "../src/datasets/shared-data.js";
import { QUARANTINE_FILE, RESULTS_FILE, ResultsStore } from "../src/eval/results-store.js";
import { runPonder } from "./run-cli.js";

// `ponder eval` as a user runs it, on the shipped demo models: the faults of issue 15.

/** A small run of the main job that still exercises the PRM memo (best-of-n and weighted best-of-n score the same samples). */
const SMALL = ["--limit", "5", "--levels", "2-4", "--strategies", "majority,best-of-n,weighted-best-of-n,beam-search", "--budgets", "1,2,4", "--max-tokens", "96", "--max-step-tokens", "32", "--max-steps", "8"];
const eval_ = (out: string, ...extra: string[]) => runPonder(["eval", ...SMALL, "--out", out, ...extra]);
const root = () => mkdtempSync(join(tmpdir(), "ponder-eval-cli-"));
const mount = promisify(execFile);
// The CLI from the sources through tsx, as runPonder runs it (one process: Ctrl-C reaches ponder itself).
const CLI = ["--import", "tsx", join(import.meta.dirname, "../src/cli/bin.ts")];

/** Mounts a tmpfs (root only, as CI runs here); false where this user may not. */
async function tmpfs(at: string, options: string): Promise<boolean> {
  mkdirSync(at, { recursive: true });
  return mount("mount", ["-t", "tmpfs", "-o", options, "tmpfs", at]).then(
    () => true,
    () => false,
  );
}

describe("ponder eval on the demo models", () => {
  it("prints byte-identical summaries for two uninterrupted runs with the same options, whatever the concurrency, and again when re-run on the complete (even read-only) run", async () => {
    const dir = root();
    const [one, eight] = await Promise.all([eval_(join(dir, "a"), "--concurrency", "1"), eval_(join(dir, "b"), "--concurrency", "8")]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(eight.code, 0, eight.stderr);
    assert.match(one.stdout, /accuracy \(95% bootstrap interval\), 5 problems/);
    assert.equal(eight.stdout, one.stdout);

    const again = await eval_(join(dir, "a"));
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, one.stdout, "a complete run re-prints the same summary");
    assert.match(again.stderr, /holds all \d+ records of this run; nothing to compute/);

    const readOnly = join(dir, "ro");
    if (await tmpfs(readOnly, "size=8m")) {
      try {
        cpSync(join(dir, "a"), join(readOnly, "a"), { recursive: true });
        await mount("mount", ["-o", "remount,ro", readOnly]);
        const archived = await eval_(join(readOnly, "a"));
        assert.equal(archived.code, 0, archived.stderr);
        assert.equal(archived.stdout, one.stdout, "a read-only run re-prints its summary: reading takes no lock");
      } finally {
        await mount("umount", [readOnly]);
      }
    }
  });

  it("checks --out before loading any model: a live writer's lock, a read-only file system and a file in the way are one-line refusals", async () => {
    const dir = root();
    const out = join(dir, "locked");
    mkdirSync(out);
    const sleeper = spawn("sleep", ["60"]);
    await new Promise((resolve) => sleeper.once("spawn", resolve));
    try {
      const started = readFileSync(`/proc/${sleeper.pid}/stat`, "utf8").split(") ")[1]!.split(" ")[19];
      writeFileSync(join(out, "lock"), JSON.stringify({ pid: sleeper.pid, started, command: "ponder eval" }));
      // A policy that cannot load: the lock must be what is reported, so it was checked first.
      const locked = await eval_(out, "--policy", join(dir, "missing.gguf"));
      assert.equal(locked.code, 1);
      assert.match(locked.stderr, new RegExp(`being written by another ponder eval \\(process ${sleeper.pid}\\).*delete ${join(out, "lock")}`));
      assert.equal(locked.stderr.trim().split("\n").length, 1, locked.stderr);
    } finally {
      sleeper.kill();
    }
    writeFileSync(join(dir, "file"), "");
    const blocked = await eval_(join(dir, "file", "run"), "--policy", join(dir, "missing.gguf"));
    assert.equal(blocked.code, 1);
    assert.match(blocked.stderr, /^ponder: cannot create the run directory .* in .*file: a part of the path is a file, not a directory \(ENOTDIR\)\n$/);

    const readOnly = join(dir, "ro");
    if (await tmpfs(readOnly, "ro,size=64k")) {
      try {
        const refused = await eval_(join(readOnly, "runs", "x"), "--policy", join(dir, "missing.gguf"));
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /^ponder: cannot create the run directory .*: the file system is read-only \(EROFS\)\n$/);
      } finally {
        await mount("umount", [readOnly]);
      }
    }
  });

  it("survives a full disk: the write fails with one line, and once space is freed the resume completes with the records an uninterrupted run has", async (t) => {
    const dir = root();
    const disk = join(dir, "disk");
    if (!(await tmpfs(disk, "size=12k"))) {
      t.diagnostic("cannot mount a small tmpfs here (not root); src/eval/run-eval.test.ts covers the same with a fault double");
      return;
    }
    try {
      const full = await eval_(join(disk, "run"));
      assert.equal(full.code, 1, "the disk filled before the run was done");
      assert.match(full.stderr, /ponder: could not write \d+ records? to .*results\.jsonl: no space left on the device \(ENOSPC\)\. The file was cut back to its last complete record/);
      assert.ok(!/\n\s+at /.test(full.stderr), "no stack");
      const stored = ResultsStore.read(join(disk, "run"));
      assert.equal(stored.tornBytes, 0, "no torn record left behind");
      await mount("mount", ["-o", "remount,size=8m", disk]);
      const resumed = await eval_(join(disk, "run"));
      assert.equal(resumed.code, 0, resumed.stderr);
      const reference = await eval_(join(dir, "reference"));
      assert.equal(resumed.stdout, reference.stdout);
      assert.ok(!existsSync(join(disk, "run", QUARANTINE_FILE)), "nothing needed setting aside");
    } finally {
      await mount("umount", [disk]);
    }
  });

  it("stops within moments of Ctrl-C, keeping what it stored and releasing the lock, and resumes to the same summary", async () => {
    const dir = root();
    const out = join(dir, "interrupted");
    const child = spawn(process.execPath, [...CLI, "eval", ...SMALL, "--out", out], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "1" } });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    let ended = false;
    const exited = new Promise<string>((resolve) => child.on("exit", (code, signal) => ((ended = true), resolve(`${code ?? signal}`))));
    while (!(existsSync(join(out, RESULTS_FILE)) && readFileSync(join(out, RESULTS_FILE), "utf8").length > 0)) {
      // A run that ends before storing a record is a failure to report, not a wait forever.
      if (ended) assert.fail(`ponder eval exited (${await exited}) before storing a record: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const signalled = Date.now();
    child.kill("SIGINT");
    // Once cleaned up, ponder ends itself by SIGINT, as a shell expects of a program stopped by Ctrl-C ($? is 130 either way).
    assert.ok(["130", "SIGINT"].includes(await exited), stderr);
    // Generous for a loaded CI machine: the point is that it stops at once, not after the run.
    assert.ok(Date.now() - signalled < 5000, `stopped ${Date.now() - signalled} ms after SIGINT`);
    assert.match(stderr, /interrupted; stopping/);
    assert.match(stderr, /Run the same command to resume/);
    if (existsSync(join(out, "lock"))) {
      // Cleanup may not finish before the forced exit on a loaded machine: the lock left names a process that is gone.
      const holder = JSON.parse(readFileSync(join(out, "lock"), "utf8")) as { pid: number };
      assert.throws(() => process.kill(holder.pid, 0), "a lock left behind names a dead process, which the resume takes over");
    }
    const kept = ResultsStore.read(out).records.length;
    const resumed = await eval_(out);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`resuming: ${kept} of`));
    const reference = await eval_(join(dir, "reference"));
    assert.equal(resumed.stdout, reference.stdout);
  });

  it("ponder solve with a huge budget stops within moments of Ctrl-C", async () => {
    const child = spawn(process.execPath, [...CLI, "solve", "--budget", "4096", "--strategy", "majority", "--verifier", "none", "What is 3 + 4 * 2?"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<string>((resolve) => child.on("exit", (code, signal) => resolve(`${code ?? signal}`)));
    // Loading takes a few seconds; by then the 4096 solutions are being drawn (or, on a very slow
    // machine, it is still loading, and Ctrl-C's default action stops it just the same). Out of its
    // lexicon, policy-small writes until its 512-token limit: 4096 such solutions take minutes, where
    // short in-lexicon answers were all drawn within the 10 s on a quiet machine.
    await new Promise((r) => setTimeout(r, 10_000));
    const signalled = Date.now();
    child.kill("SIGINT");
    const how = await exited;
    assert.ok(how === "130" || how === "SIGINT", `${how}: ${stderr}`);
    assert.ok(Date.now() - signalled < 5000, `stopped ${Date.now() - signalled} ms after SIGINT`);
    if (how === "130") assert.match(stderr, /interrupted; stopping/);
  });

  it("completes math500 with the demo models, whatever the candidates write (issue 15's stuck run)", async () => {
    sharedDataPath("math500"); // fails loudly when the shared data is missing
    const out = join(root(), "math500");
    const first = await runPonder(["eval", "--dataset", "math500", "--limit", "4", "--strategies", "weighted-best-of-n,beam-search", "--budgets", "1,4", "--out", out]);
    assert.equal(first.code, 0, first.stderr);
    const records = ResultsStore.read(out).records;
    assert.equal(records.length, 16);
    assert.ok(records.some((r) => r.candidates.some((c) => c.unscored !== undefined) || r.error !== undefined), "some candidate ran past the PRM's context or some question past the policy's, and the run went on");
    assert.equal(readFileSync(join(out, RESULTS_FILE), "utf8").trim().split("\n").length, 16);
  });
});
