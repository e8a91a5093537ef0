import { readFileSync } from "node:fs";
import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import type { SpecOptions } from "../spec-options.js";

/** One replica of a model: its API root and, when it differs from the set's, its own concurrency. */
export interface ReplicaEntry {
  url: string;
  concurrency?: number;
}

/** The spec options that make an HTTP spec a replica set (see REPLICA_SPEC_HELP). */
export const REPLICA_KEYS = ["replicas-file", "replicas-env", "route", "session-header", "probe"];

export const REPLICA_SPEC_HELP = `Replicas of one model (vLLM, SGLang, llama.cpp server, …), as one generator:
  http://a:8000/v1,http://b:8000/v1?model=NAME[&opts]   a comma-separated list of API roots
  replicas?replicas-file=PATH&model=NAME               one replica a line: URL [concurrency=N]; # comments
  replicas?replicas-env=VAR&model=NAME                 the same lines (or comma-separated) in $VAR
  Options: route=affinity|round-robin (default affinity: one problem's requests go to one replica,
           so a search tree's prefixes are in that replica's cache; a replica that leaves moves
           only its own problems), concurrency=N per replica, probe=MS (first re-probe of a replica
           taken out, doubling to 30 s; default 1000), session-header=NAME (send the affinity key,
           a hash of the problem id, in this header: for a router in front of the replicas, e.g.
           vLLM production-stack's --session-key; also works with a single URL)`;

/**
 * The replicas a spec names: its comma-separated base URLs (unless the base is the word
 * `replicas`), then the lines of `replicas-file` and of `$replicas-env`. Each must be an http(s)
 * URL, named once; bad lines are named by file and line.
 */
export function readReplicaList(o: SpecOptions): ReplicaEntry[] {
  const entries: ReplicaEntry[] = [];
  if (o.base !== "replicas") entries.push(...o.base.split(",").map((url, i) => parseEntry(url, `the spec's URL list, entry ${i + 1}`)));
  const file = o.string("replicas-file");
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (cause) {
      throw new InvalidOptionError({ field: "replicas-file", value: file, accepted: `a readable file of replica URLs, one a line (${(cause as Error).message})` });
    }
    entries.push(...parseLines(text.split("\n"), (line) => `${file}:${line}`));
  }
  const variable = o.string("replicas-env");
  if (variable !== undefined) {
    const value = process.env[variable];
    if (!value) throw new InvalidOptionError({ field: "replicas-env", value: variable, accepted: "the name of a set environment variable listing replica URLs" });
    entries.push(...parseLines(value.split(/[\n,]/), (item) => `$${variable}, entry ${item}`));
  }
  if (entries.length === 0) throw new InvalidOptionError({ field: "replicas", value: o.base, accepted: "at least one replica URL (in the spec, replicas-file or replicas-env)" });
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.url)) throw new InvalidOptionError({ field: "replicas", value: e.url, accepted: "each replica URL once" });
    seen.add(e.url);
  }
  return entries;
}

function parseLines(lines: string[], where: (n: number) => string): ReplicaEntry[] {
  const out: ReplicaEntry[] = [];
  lines.forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line) out.push(parseEntry(line, where(i + 1)));
  });
  return out;
}

function parseEntry(text: string, where: string): ReplicaEntry {
  const [url = "", ...rest] = text.trim().split(/\s+/);
  if (!/^https?:\/\/[^/\s]+/i.test(url)) throw new InvalidOptionError({ field: "replica URL", value: url, accepted: "an http(s) API root such as http://10.0.0.5:8000/v1", where });
  const entry: ReplicaEntry = { url: url.replace(/\/+$/, "") };
  for (const option of rest) {
    const match = /^concurrency=(\d+)$/.exec(option);
    if (!match || Number(match[1]) < 1) throw new InvalidOptionError({ field: "replica option", value: option, accepted: "concurrency=N (an integer ≥ 1)", where });
    entry.concurrency = Number(match[1]);
  }
  return entry;
}
