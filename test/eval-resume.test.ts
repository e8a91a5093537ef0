import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { recordKey, type EvalRecord } from "../src/eval/eval-record.js";
import { ResultsStore, RESULTS_FILE } from "../src/eval/results-store.js";

// A run killed with SIGKILL mid-run, then resumed, ends with exactly the records of a run never interrupted.

const CHILD = join(import.meta.dirname, "eval-child.ts");

function runChild(out: string, delayMs: number, killAfterLines?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, out, String(delayMs)], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    let timer: NodeJS.Timeout | undefined;
    if (killAfterLines !== undefined) {
      timer = setInterval(() => {
        const file = join(out, RESULTS_FILE);
        if (existsSync(file) && readFileSync(file, "utf8").split("\n").length - 1 >= killAfterLines) {
          clearInterval(timer);
          child.kill("SIGKILL");
        }
      }, 2);
    }
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, stdout });
    });
  });
}

/**
 * A record without what depends on scheduling: wall time, and how a prompt's tokens split between
 * evaluated and KV-cached (so FLOPs), which depends on what other problems had cached before.
 */
function comparable(r: EvalRecord): unknown {
  const usage = Object.fromEntries(
    Object.entries(r.usage).map(([m, { wallMs: _w, flops: _f, promptTokens, cachedPromptTokens, ...rest }]) => [m, { ...rest, prompt: promptTokens + cachedPromptTokens }]),
  );
  return { ...r, usage };
}

function bySortedKey(records: readonly EvalRecord[]): Map<string, unknown> {
  return new Map([...records].sort((a, b) => recordKey(a).localeCompare(recordKey(b))).map((r) => [recordKey(r), comparable(r)]));
}

describe("eval resume after kill -9", () => {
  it("loses and duplicates nothing: the resumed record set equals an uninterrupted run's", async () => {
    const root = mkdtempSync(join(tmpdir(), "ponder-resume-"));
    const whole = join(root, "whole");
    const killed = join(root, "killed");

    const reference = await runChild(whole, 0);
    assert.equal(reference.code, 0, reference.stdout);
    const expected = ResultsStore.read(whole).records;
    assert.equal(expected.length, 54);

    const first = await runChild(killed, 40, 8);
    assert.equal(first.signal, "SIGKILL", "the child was killed before it finished");
    const partial = ResultsStore.read(killed).records;
    assert.ok(partial.length >= 8 && partial.length < expected.length, `killed after ${partial.length} records`);

    const second = await runChild(killed, 0);
    assert.equal(second.code, 0);
    assert.match(second.stdout, new RegExp(`start resumed=${partial.length} `));
    const resumed = ResultsStore.read(killed).records;
    assert.equal(resumed.length, expected.length, "no record lost or doubled");
    assert.deepEqual(bySortedKey(resumed), bySortedKey(expected));
  });
});
