import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { configDifferences, type EvalConfig } from "./eval-config.js";
import { recordKey, type EvalRecord } from "./eval-record.js";
import { ShardMismatchError } from "./errors/shard-mismatch-error.js";
import { configFieldOption } from "./config-field-options.js";

/** Which slice of an evaluation's problems one job runs: shard `index` of `count` (1-based). */
export interface Shard {
  index: number;
  count: number;
}

/** `"k/n"` (as `--shard` takes it) as a Shard; throws naming the flag and the accepted form. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) throw new InvalidOptionError({ field: "--shard", value: text, accepted: "k/n with 1 ≤ k ≤ n, like 2/4 (the second of four shards)" });
  return { index, count };
}

/**
 * The problems of one shard: every n-th problem of the dataset's order, starting at the k-th. The
 * slice depends on the problem list alone, so any machine computes the same one; interleaving
 * (rather than cutting the list into blocks) gives each shard a like mix of the levels a dataset
 * lists in order, so shards take about as long. All of a problem's strategies, budgets and seeds
 * stay in one shard: its records never need merging, and its search tree stays on one replica.
 */
export function shardProblems<T>(problems: readonly T[], shard: Shard): T[] {
  return problems.filter((_, i) => i % shard.count === shard.index - 1);
}

/** The directory a shard writes under the run directory, e.g. `shard-2-of-4`. */
export function shardDirName(shard: Shard): string {
  return `shard-${shard.index}-of-${shard.count}`;
}

const SHARD_DIR = /^shard-(\d+)-of-(\d+)$/;

/** The shard directories under `dir` (holding a config.json), in shard order; empty when there are none. */
export function shardDirs(dir: string, configFile: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => SHARD_DIR.test(name) && existsSync(join(dir, name, configFile)))
    .sort((a, b) => Number(SHARD_DIR.exec(a)![1]) - Number(SHARD_DIR.exec(b)![1]))
    .map((name) => join(dir, name));
}

/**
 * One run from its shards: checks that they are shards 1..n of one n, made with the same
 * configuration (else names each option that differs, and the shards), and that no record is in
 * two of them; the records are the shards' in shard order, the configuration the shards' own
 * without `shard`, as an unsharded run of the same options stores it.
 */
export function mergeShards(dir: string, shards: readonly { dir: string; config: EvalConfig; records: EvalRecord[] }[]): { config: EvalConfig; records: EvalRecord[] } {
  if (shards.length === 0) throw new ShardMismatchError({ dir, detail: "no shard directories (shard-k-of-n) with a config.json" });
  const first = shards[0]!;
  const count = first.config.shard?.count;
  if (count === undefined) throw new ShardMismatchError({ dir, detail: `${first.dir} has no shard in its config.json` });
  const indices = shards.map((s) => s.config.shard?.index);
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((k) => !indices.includes(k));
  for (const s of shards) {
    if (s.config.shard?.count !== count) throw new ShardMismatchError({ dir, detail: `${s.dir} is a shard of ${s.config.shard?.count ?? "no"} shards, ${first.dir} of ${count}`, options: ["--shard"] });
  }
  if (missing.length > 0) throw new ShardMismatchError({ dir, detail: `shard${missing.length > 1 ? "s" : ""} ${missing.join(", ")} of ${count} missing (run \`ponder eval … --shard k/${count}\` for each, into this directory)` });
  const { shard: _first, ...base } = first.config;
  for (const s of shards.slice(1)) {
    const { shard: _other, ...other } = s.config;
    const differences = configDifferences(base, other);
    if (differences.length > 0) {
      const options = differences.map((d) => configFieldOption(d.field));
      const list = differences.map((d, i) => `${options[i]} (${JSON.stringify(d.stored)} in ${first.dir}, ${JSON.stringify(d.requested)} in ${s.dir})`).join("; ");
      throw new ShardMismatchError({ dir, detail: `its shards were made with different options: ${list}`, options });
    }
  }
  const seen = new Map<string, string>();
  const records: EvalRecord[] = [];
  for (const s of shards) {
    for (const r of s.records) {
      const key = recordKey(r);
      const other = seen.get(key);
      if (other !== undefined) throw new ShardMismatchError({ dir, detail: `the record ${key} is in ${other} and in ${s.dir}` });
      seen.set(key, s.dir);
      records.push(r);
    }
  }
  return { config: base, records };
}
