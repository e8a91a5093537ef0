import * as fs from "node:fs";
import { dirname, join } from "node:path";
import { canonicalOrder } from "./canonical-order.js";
import { configDifferences, type EvalConfig } from "./eval-config.js";
import { recordKey, type EvalRecord } from "./eval-record.js";
import { CorruptResultsError } from "./errors/corrupt-results-error.js";
import { ResultsWriteError } from "./errors/results-write-error.js";
import { RunConfigMismatchError } from "./errors/run-config-mismatch-error.js";
import { RunDirectoryError } from "./errors/run-directory-error.js";
import { RunLockedError } from "./errors/run-locked-error.js";
import { mergeShards, shardDirs } from "./shard.js";
import { parseResults, type ParsedResults } from "./results-file.js";
import { RunLock } from "./run-lock.js";

export const CONFIG_FILE = "config.json";
export const RESULTS_FILE = "results.jsonl";
/** Where lines set aside from the results file are kept, verbatim, with why. */
export const QUARANTINE_FILE = "results.quarantine.jsonl";

/** The file operations an append makes, swappable to inject faults (a full disk, a short write). */
export interface StoreIo {
  writeSync(fd: number, buffer: Buffer, offset: number, length: number): number;
  ftruncateSync(fd: number, length: number): void;
}

export interface StoreOptions {
  /** Why a record is foreign to the run (a problem, strategy, budget or seed it does not plan), or null when it belongs. */
  accept?: (record: EvalRecord) => string | null;
  io?: StoreIo;
}

/** Whether `dir` holds a run: its config.json, or shard directories of one. */
export function isRunDir(dir: string): boolean {
  return fs.existsSync(join(dir, CONFIG_FILE)) || shardDirs(dir, CONFIG_FILE).length > 0;
}

/** What a run directory holds. */
export interface StoredRun {
  config: EvalConfig;
  records: EvalRecord[];
  /** Bytes of a torn last line (a run killed mid-write) that were left out. */
  tornBytes: number;
  /** Lines left out of `records`, one notice each (file, line, reason). */
  notices: string[];
}

/**
 * A run's append-only results: `config.json` (checked on resume) and `results.jsonl`, one record a
 * line, each batch written by a single append. A run killed at any instant leaves complete lines
 * plus at most one torn last line; an append that fails (a full disk) is cut back to the last
 * complete record. Opening sets aside, into results.quarantine.jsonl, every line that is not a
 * record of this run (damaged, a duplicate key, a foreign key) with a notice, and resumes with
 * the rest. One process writes a run at a time (see RunLock); reading takes no lock.
 */
export class ResultsStore {
  readonly dir: string;
  readonly config: EvalConfig;
  /** Records already in the file when the store was opened. */
  readonly resumed: readonly EvalRecord[];
  readonly tornBytes: number;
  /** What opening set aside, one line each. */
  readonly notices: readonly string[];
  readonly #keys: Set<string>;
  readonly #fd: number;
  readonly #lock: RunLock;
  readonly #io: StoreIo;
  /** Bytes of complete records in the file: where a failed append is cut back to. */
  #size: number;
  /** Set when a failed append could not be cut back: the file's end is unknown, so nothing more is written. */
  #broken: unknown = null;

  private constructor(init: { dir: string; config: EvalConfig; parsed: ParsedResults; notices: string[]; fd: number; lock: RunLock; io: StoreIo; size: number }) {
    this.dir = init.dir;
    this.config = init.config;
    this.resumed = init.parsed.records;
    this.tornBytes = init.parsed.tornBytes;
    this.notices = init.notices;
    this.#keys = new Set(init.parsed.records.map(recordKey));
    this.#fd = init.fd;
    this.#lock = init.lock;
    this.#io = init.io;
    this.#size = init.size;
  }

  /**
   * Opens `dir` for a run with `config`: creates it, or resumes the run it holds.
   * Throws RunConfigMismatchError naming the fields when the stored configuration differs,
   * RunLockedError when another process writes it, RunDirectoryError when it cannot be written.
   */
  static open(dir: string, config: EvalConfig, { accept, io = fs }: StoreOptions = {}): ResultsStore {
    makeRunDirectory(dir);
    const lock = RunLock.take(dir);
    try {
      checkOrWriteConfig(dir, config);
      const path = join(dir, RESULTS_FILE);
      const parsed = parseResults(fs.existsSync(path) ? guard(dir, path, "read", () => fs.readFileSync(path)) : Buffer.alloc(0), accept);
      const notices = describeSetAside(path, parsed);
      if (parsed.rejected.length > 0 || parsed.blankLines > 0 || parsed.tornBytes > 0) setAside(dir, parsed);
      const fd = guard(dir, path, "open", () => fs.openSync(path, "a"));
      return new ResultsStore({ dir, config, parsed, notices, fd, lock, io, size: fs.fstatSync(fd).size });
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /**
   * Reads a run directory without changing it or locking it, records in canonical order (see
   * canonicalOrder) so that whatever reads them is the same however the run was scheduled or
   * sharded: lines that opening would set aside are left out, with notices. A directory of shards
   * (`ponder eval --shard k/n` wrote shard-k-of-n/ under it) reads as the one run they make
   * together, refused when they do not make one (see mergeShards).
   */
  static read(dir: string, { accept }: Pick<StoreOptions, "accept"> = {}): StoredRun {
    const shards = fs.existsSync(join(dir, CONFIG_FILE)) ? [] : shardDirs(dir, CONFIG_FILE);
    if (shards.length > 0) {
      const parts = shards.map((d) => ({ dir: d, ...ResultsStore.read(d, { accept }) }));
      const merged = mergeShards(dir, parts);
      return {
        config: merged.config,
        records: canonicalOrder(merged.records, merged.config),
        tornBytes: parts.reduce((sum, p) => sum + p.tornBytes, 0),
        notices: parts.flatMap((p) => p.notices),
      };
    }
    const config = readConfig(dir);
    const path = join(dir, RESULTS_FILE);
    if (!fs.existsSync(path)) return { config, records: [], tornBytes: 0, notices: [] };
    const parsed = parseResults(guard(dir, path, "read", () => fs.readFileSync(path)), accept);
    return { config, records: canonicalOrder(parsed.records, config), tornBytes: parsed.tornBytes, notices: describeSetAside(path, parsed, false) };
  }

  /** Checks, without keeping anything, that `dir` can be created and written and that no live process holds its lock. */
  static checkWritable(dir: string): void {
    makeRunDirectory(dir);
    RunLock.take(dir).release();
  }

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  /**
   * Appends records not yet stored, all in one write; returns those written. A write that fails
   * part-way is cut back to the last complete record before ResultsWriteError is thrown, so a
   * torn record never fuses with the next append.
   */
  append(records: readonly EvalRecord[]): EvalRecord[] {
    const path = join(this.dir, RESULTS_FILE);
    if (this.#broken !== null) throw new ResultsWriteError({ file: path, records: records.length, restored: false, cause: this.#broken });
    if (!this.#lock.holds()) {
      throw new RunLockedError({ dir: this.dir, pid: null, lockFile: this.#lock.path, holder: "another process now (this process's lock was removed or taken over)" });
    }
    const fresh = records.filter((r) => !this.#keys.has(recordKey(r)));
    if (fresh.length === 0) return [];
    const buffer = Buffer.from(fresh.map((r) => JSON.stringify(r) + "\n").join(""));
    let written = 0;
    try {
      while (written < buffer.length) {
        const n = this.#io.writeSync(this.#fd, buffer, written, buffer.length - written);
        if (!(n > 0)) throw Object.assign(new Error("the write made no progress"), { code: "EIO" });
        written += n;
      }
    } catch (cause) {
      let restored = true;
      if (written > 0) {
        try {
          this.#io.ftruncateSync(this.#fd, this.#size);
        } catch {
          restored = false;
          this.#broken = cause;
        }
      }
      throw new ResultsWriteError({ file: path, records: fresh.length, restored, cause });
    }
    this.#size += buffer.length;
    for (const r of fresh) this.#keys.add(recordKey(r));
    return fresh;
  }

  close(): void {
    fs.closeSync(this.#fd);
    this.#lock.release();
  }
}

/**
 * Creates a run directory. Node's recursive mkdir reports ENOENT for the first directory it
 * could not make, not why: the error names the deepest existing ancestor and what stops writing
 * there (a read-only file system, a permission), or the file in the way.
 */
export function makeRunDirectory(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    let ancestor = dir;
    while (!fs.existsSync(ancestor) && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor);
    let cause: unknown = error;
    try {
      if (!fs.statSync(ancestor).isDirectory()) cause = Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
      else fs.accessSync(ancestor, fs.constants.W_OK);
    } catch (inner) {
      cause = inner;
    }
    if (ancestor === dir) throw new RunDirectoryError({ dir, path: dir, action: "create the run directory", cause });
    throw new RunDirectoryError({ dir, path: ancestor, action: `create the run directory ${dir} in`, cause });
  }
}

function checkOrWriteConfig(dir: string, config: EvalConfig): void {
  const path = join(dir, CONFIG_FILE);
  if (fs.existsSync(path)) {
    const differences = configDifferences(readConfig(dir), config);
    if (differences.length > 0) throw new RunConfigMismatchError({ dir, differences });
    return;
  }
  // Written whole or not at all, so a run killed here never leaves half a configuration.
  guard(dir, path, "write", () => {
    fs.writeFileSync(`${path}.tmp`, JSON.stringify(config, null, 2) + "\n");
    fs.renameSync(`${path}.tmp`, path);
  });
}

function readConfig(dir: string): EvalConfig {
  const path = join(dir, CONFIG_FILE);
  if (!fs.existsSync(path)) throw new CorruptResultsError({ file: path, line: 0, reason: "no run configuration here: is this a directory `ponder eval --out` wrote?" });
  try {
    return JSON.parse(guard(dir, path, "read", () => fs.readFileSync(path, "utf8"))) as EvalConfig;
  } catch (cause) {
    if (cause instanceof RunDirectoryError) throw cause;
    throw new CorruptResultsError({ file: path, line: 1, reason: "not valid JSON", cause });
  }
}

/** One notice per line left out, and one for blank lines and a torn end. */
function describeSetAside(path: string, parsed: ParsedResults, moving = true): string[] {
  const where = moving ? `; moved to ${QUARANTINE_FILE}` : ` (left out; resuming moves it to ${QUARANTINE_FILE})`;
  const notices = parsed.rejected.map((r) => `${path}:${r.line}: ${r.reason}${where}`);
  if (parsed.blankLines > 0) notices.push(`${path}: ${parsed.blankLines} blank line${parsed.blankLines === 1 ? "" : "s"} ${moving ? "removed" : "skipped"}`);
  return notices;
}

/**
 * Moves rejected lines and a torn end into the quarantine file (kept verbatim, with line and
 * reason), then replaces the results file by its kept records. The quarantine is written and
 * synced first, so a crash in between loses nothing: the next open finds the same lines again.
 */
function setAside(dir: string, parsed: ParsedResults): void {
  const path = join(dir, RESULTS_FILE);
  const entries = parsed.rejected.map((r) => ({ line: r.line, reason: r.reason, text: r.text }));
  if (parsed.tornBytes > 0) entries.push({ line: parsed.records.length + parsed.rejected.length + parsed.blankLines + 1, reason: "a torn last line (the run stopped while writing it)", text: parsed.torn });
  guard(dir, join(dir, QUARANTINE_FILE), "write", () => {
    if (entries.length === 0) return;
    const at = new Date().toISOString();
    const fd = fs.openSync(join(dir, QUARANTINE_FILE), "a");
    try {
      fs.writeSync(fd, entries.map((e) => JSON.stringify({ ...e, file: RESULTS_FILE, at }) + "\n").join(""));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  });
  guard(dir, path, "rewrite", () => {
    const temp = `${path}.tmp`;
    const fd = fs.openSync(temp, "w");
    try {
      for (const raw of parsed.kept) fs.writeSync(fd, Buffer.concat([raw, Buffer.from("\n")]));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, path);
  });
}

/** Runs a file operation; an operating-system failure becomes a one-line RunDirectoryError naming the path. */
function guard<T>(dir: string, path: string, action: string, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (typeof (error as NodeJS.ErrnoException)?.code === "string") throw new RunDirectoryError({ dir, path, action, cause: error });
    throw error;
  }
}
