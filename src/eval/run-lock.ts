import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { RunDirectoryError } from "./errors/run-directory-error.js";
import { RunLockedError } from "./errors/run-locked-error.js";

export const LOCK_FILE = "lock";

/** What a lock file says of its holder. `started` tells a live holder from a process that got its pid later. */
interface Holder {
  pid: number;
  host?: string;
  /** The holder's start time (clock ticks since boot, from /proc), when the system tells it. */
  started?: string | null;
  command?: string;
  /** Tells two locks of one process apart. */
  token?: string;
}

/** A lock younger than this with unreadable content may be mid-write by an older ponder: it is not judged stale. */
const YOUNG_MS = 10_000;

/**
 * One writer per run directory. The lock file is written whole under a temporary name and
 * `link`ed into place, which fails if a lock exists: there is no moment at which another process
 * can read a half-written lock. A lock is stale when its holder is gone, or when its pid now
 * belongs to another process (its start time differs); a stale lock is removed under a second
 * lock (see takeOver), so of two resumers racing for it exactly one takes the run.
 */
export class RunLock {
  readonly path: string;
  /** What this process wrote: a lock file with other content is not its lock (inode numbers are reused, so they cannot tell). */
  readonly #text: string;

  private constructor(path: string, text: string) {
    this.path = path;
    this.#text = text;
  }

  /** Takes the lock of `dir`; throws RunLockedError naming the holder and the lock file when a live process holds it. */
  static take(dir: string): RunLock {
    const path = join(dir, LOCK_FILE);
    const token = randomBytes(8).toString("hex");
    const me: Holder = { pid: process.pid, host: hostname(), started: startTimeOf(process.pid), command: "ponder eval", token };
    const text = `${JSON.stringify(me)}\n`;
    const temp = join(dir, `${LOCK_FILE}.${process.pid}.${token}.tmp`);
    try {
      writeFileSync(temp, text);
    } catch (cause) {
      throw new RunDirectoryError({ dir, path: dir, action: "write the run lock in", cause });
    }
    try {
      for (let attempt = 0; attempt < 100; attempt++) {
        try {
          linkSync(temp, path);
          return new RunLock(path, text);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw new RunDirectoryError({ dir, path, action: "create the run lock", cause: error });
        }
        const held = readHolder(path);
        if (held === null) continue; // released meanwhile: try again
        const verdict = judge(held.holder, held.ageMs);
        if (verdict !== "stale") throw new RunLockedError({ dir, pid: held.holder?.pid ?? null, lockFile: path, holder: verdict });
        if (!takeOver(dir, path, temp, held.text)) sleep(10);
      }
      throw new RunLockedError({ dir, pid: null, lockFile: path, holder: "other processes taking the lock at the same moment" });
    } finally {
      unlinkQuietly(temp);
    }
  }

  /** Whether the lock file is still the one this process linked (a user may have deleted it, another process taken it). */
  holds(): boolean {
    try {
      return readFileSync(this.path, "utf8") === this.#text;
    } catch {
      return false;
    }
  }

  /** Removes the lock, if it is still this process's. */
  release(): void {
    if (this.holds()) unlinkQuietly(this.path);
  }
}

function readHolder(path: string): { text: string; holder: Holder | null; ageMs: number } | null {
  try {
    const text = readFileSync(path, "utf8");
    const ageMs = Date.now() - statSync(path).mtimeMs;
    return { text, holder: parseHolder(text), ageMs };
  } catch {
    return null;
  }
}

/** A lock's holder; older versions of ponder wrote the bare pid. */
function parseHolder(text: string): Holder | null {
  if (/^\s*\d+\s*$/.test(text)) return { pid: Number(text) };
  try {
    const value = JSON.parse(text) as Holder;
    return Number.isSafeInteger(value?.pid) && value.pid > 0 ? value : null;
  } catch {
    return null;
  }
}

/** "stale", or who holds the lock, in words for the refusal. */
function judge(holder: Holder | null, ageMs: number): string {
  if (holder === null) return ageMs < YOUNG_MS ? "another process that is taking the lock" : "stale";
  const who = `another ponder eval (process ${holder.pid}${holder.host && holder.host !== hostname() ? ` on ${holder.host}` : ""})`;
  if (holder.host !== undefined && holder.host !== hostname()) return who; // cannot be checked from here
  if (!isAlive(holder.pid)) return "stale";
  const started = startTimeOf(holder.pid);
  if (holder.started && started && holder.started !== started) return "stale"; // the pid now belongs to another process
  // A lock of an older ponder names only a pid: that pid running something that is not ponder holds nothing.
  if (holder.started === undefined && !isPonder(holder.pid)) return "stale";
  if (holder.pid === process.pid && holder.started && holder.started === started) return "this same process (the run is already open in it)";
  return who;
}

/**
 * Removes a stale lock, under a second lock (`lock.takeover`, also taken by `link`), re-reading
 * it first: only the one process holding the takeover lock removes anything, and only the lock it
 * judged stale, so a fresh lock another process has just linked is never removed. The takeover
 * lock is held for microseconds; one left by a process that died holding it is cleared after
 * YOUNG_MS. Returns false when another process is taking over (the caller waits and looks again).
 */
function takeOver(dir: string, path: string, temp: string, staleText: string): boolean {
  const guard = join(dir, `${LOCK_FILE}.takeover`);
  try {
    linkSync(temp, guard);
  } catch {
    try {
      if (Date.now() - statSync(guard).mtimeMs > YOUNG_MS) unlinkQuietly(guard);
    } catch {
      // gone already
    }
    return false;
  }
  try {
    if (readHolder(path)?.text === staleText) unlinkQuietly(path);
  } finally {
    unlinkQuietly(guard);
  }
  return true;
}

/** A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), or null where /proc does not say. */
function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

/** False only when /proc shows the process runs something other than ponder. */
function isPonder(pid: number): boolean {
  try {
    return /ponder/i.test(readFileSync(`/proc/${pid}/cmdline`, "utf8"));
  } catch {
    return true;
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

/** Blocks this thread (the lock is taken synchronously, before any work starts). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
