import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { configDifferences, type EvalConfig } from "./eval-config.js";
import { recordKey, type EvalRecord } from "./eval-record.js";
import { CorruptResultsError } from "./errors/corrupt-results-error.js";
import { RunConfigMismatchError } from "./errors/run-config-mismatch-error.js";
import { RunLockedError } from "./errors/run-locked-error.js";
import { mergeShards, shardDirs } from "./shard.js";

export const CONFIG_FILE = "config.json";
export const RESULTS_FILE = "results.jsonl";
const LOCK_FILE = "lock";

/** Whether `dir` holds a run: its config.json, or shard directories of one. */
export function isRunDir(dir: string): boolean {
  return existsSync(join(dir, CONFIG_FILE)) || shardDirs(dir, CONFIG_FILE).length > 0;
}

/** What a run directory holds. */
export interface StoredRun {
  config: EvalConfig;
  records: EvalRecord[];
  /** Bytes of a torn last line (a run killed mid-write) that were left out. */
  tornBytes: number;
}

/**
 * A run's append-only results: `config.json` (checked on resume) and `results.jsonl`, one record a
 * line, each batch written by a single append. A run killed at any instant leaves complete lines
 * plus at most one torn last line, which opening discards; completed records are then skipped.
 */
export class ResultsStore {
  readonly dir: string;
  readonly config: EvalConfig;
  /** Records already in the file when the store was opened. */
  readonly resumed: readonly EvalRecord[];
  readonly tornBytes: number;
  #keys: Set<string>;
  #fd: number;

  private constructor(dir: string, config: EvalConfig, resumed: EvalRecord[], tornBytes: number, fd: number) {
    this.dir = dir;
    this.config = config;
    this.resumed = resumed;
    this.tornBytes = tornBytes;
    this.#keys = new Set(resumed.map(recordKey));
    this.#fd = fd;
  }

  /**
   * Opens `dir` for a run with `config`: creates it, or resumes the run it holds.
   * Throws RunConfigMismatchError naming the fields when the stored configuration differs.
   */
  static open(dir: string, config: EvalConfig): ResultsStore {
    mkdirSync(dir, { recursive: true });
    takeLock(dir);
    try {
      const configPath = join(dir, CONFIG_FILE);
      if (existsSync(configPath)) {
        const stored = readConfig(dir);
        const differences = configDifferences(stored, config);
        if (differences.length > 0) throw new RunConfigMismatchError({ dir, differences });
      } else {
        // Written whole or not at all, so a run killed here never leaves half a configuration.
        writeFileSync(`${configPath}.tmp`, JSON.stringify(config, null, 2) + "\n");
        renameSync(`${configPath}.tmp`, configPath);
      }
      const path = join(dir, RESULTS_FILE);
      const fd = openSync(path, "a+");
      const { records, tornBytes, completeBytes } = parseResults(path);
      if (tornBytes > 0) ftruncateSync(fd, completeBytes);
      return new ResultsStore(dir, config, records, tornBytes, fd);
    } catch (error) {
      releaseLock(dir);
      throw error;
    }
  }

  /**
   * Reads a run directory without changing it (a torn last line is left out, not removed). A
   * directory of shards (`ponder eval --shard k/n` wrote shard-k-of-n/ under it) reads as the one
   * run they make together, refused when they do not make one (see mergeShards). Records come in
   * one fixed order (problem, strategy in the configuration's order, budget, seed), not the order they completed in, so that
   * whatever reads them (a summary, a report) is the same however the run was scheduled or sharded.
   */
  static read(dir: string): StoredRun {
    const shards = existsSync(join(dir, CONFIG_FILE)) ? [] : shardDirs(dir, CONFIG_FILE);
    if (shards.length > 0) {
      const parts = shards.map((d) => ({ dir: d, ...ResultsStore.read(d) }));
      const merged = mergeShards(dir, parts);
      return { config: merged.config, records: merged.records.sort(recordOrder(merged.config)), tornBytes: parts.reduce((sum, p) => sum + p.tornBytes, 0) };
    }
    const config = readConfig(dir);
    const path = join(dir, RESULTS_FILE);
    if (!existsSync(path)) return { config, records: [], tornBytes: 0 };
    const { records, tornBytes } = parseResults(path);
    return { config, records: records.sort(recordOrder(config)), tornBytes };
  }

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  /** Appends records not yet stored, all in one write; returns those written. */
  append(records: readonly EvalRecord[]): EvalRecord[] {
    const fresh = records.filter((r) => !this.#keys.has(recordKey(r)));
    if (fresh.length === 0) return [];
    const buffer = Buffer.from(fresh.map((r) => JSON.stringify(r) + "\n").join(""));
    let written = 0;
    while (written < buffer.length) written += writeSync(this.#fd, buffer, written, buffer.length - written);
    for (const r of fresh) this.#keys.add(recordKey(r));
    return fresh;
  }

  close(): void {
    closeSync(this.#fd);
    releaseLock(this.dir);
  }
}

/** Problems by id, then strategies in the configuration's order, budgets and seeds ascending. */
function recordOrder(config: EvalConfig): (a: EvalRecord, b: EvalRecord) => number {
  const order = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const rank = (s: string) => {
    const i = (config.strategies ?? []).indexOf(s);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return (a, b) => order(a.problemId, b.problemId) || rank(a.strategy) - rank(b.strategy) || order(a.strategy, b.strategy) || a.budget - b.budget || a.seed - b.seed;
}

function readConfig(dir: string): EvalConfig {
  const path = join(dir, CONFIG_FILE);
  if (!existsSync(path)) throw new CorruptResultsError({ file: path, line: 0, reason: "no run configuration here: is this a directory `ponder eval --out` wrote?" });
  try {
    return JSON.parse(readFileSync(path, "utf8")) as EvalConfig;
  } catch (cause) {
    throw new CorruptResultsError({ file: path, line: 1, reason: "not valid JSON", cause });
  }
}

function parseResults(path: string): { records: EvalRecord[]; tornBytes: number; completeBytes: number } {
  const bytes = readFileSync(path);
  const completeBytes = bytes.lastIndexOf(0x0a) + 1;
  const lines = bytes.subarray(0, completeBytes).toString("utf8").split("\n");
  lines.pop();
  const seen = new Set<string>();
  const records = lines.map((line, i) => {
    let record: EvalRecord;
    try {
      record = JSON.parse(line) as EvalRecord;
    } catch (cause) {
      throw new CorruptResultsError({ file: path, line: i + 1, reason: "a complete line that is not valid JSON", cause });
    }
    const key = recordKey(record);
    if (seen.has(key)) throw new CorruptResultsError({ file: path, line: i + 1, reason: `a second record for ${key}` });
    seen.add(key);
    return record;
  });
  return { records, tornBytes: bytes.length - completeBytes, completeBytes };
}

/** One writer per run directory; a lock left by a dead process is taken over. */
function takeLock(dir: string): void {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: "wx" });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number(readFileSync(path, "utf8"));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) throw new RunLockedError({ dir, pid });
      unlinkSync(path);
    }
  }
  throw new RunLockedError({ dir, pid: Number(readFileSync(path, "utf8")) });
}

function releaseLock(dir: string): void {
  const path = join(dir, LOCK_FILE);
  try {
    if (Number(readFileSync(path, "utf8")) === process.pid) unlinkSync(path);
  } catch {
    // Already gone: nothing to release.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
