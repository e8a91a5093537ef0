import { InvalidOptionError } from "../core/errors/invalid-option-error.js";

/**
 * A dataset named on a command line or in a config: a source and its options.
 *
 * Syntax: `<source>[:<key>=<value>[,<key>=<value>...]]`
 * - `<source>` is a built-in name (`math500`, `gsm8k`, `aime24`, `aime25`, `amc23`, ...), a file
 *   path (`data/my.jsonl`, `../shared/data/math500/test.jsonl`) or a Hub dataset
 *   `hf:<owner>/<name>`.
 * - Options every source takes: `limit=<n>`, `seed=<n>` (a shuffled subset), `format=<name>`,
 *   and a field mapping `question=<field>`, `answer=<field>`, `id=<field>`, `level=<field>`.
 * - Hub datasets also take `file=<path in the repo>` or `config=<name>,split=<name>`, and
 *   `revision=<branch or commit>`. Built-ins may define their own (`synthetic:levels=1-5,count=200`).
 * - Values may not contain commas; a path containing ":" is read whole when it exists.
 * @example parseDatasetSpec("data/x.jsonl:question=problem,answer=gt,limit=50")
 */
export interface DatasetSpec {
  /** The source as written before the options. */
  source: string;
  /** Options in the order written. */
  options: Record<string, string>;
}

const OPTION = /^[A-Za-z_][\w-]*=/;

export function parseDatasetSpec(spec: string, fileExists: (path: string) => boolean = () => false): DatasetSpec {
  const text = spec.trim();
  if (text === "") throw new InvalidOptionError({ field: "dataset", value: spec, accepted: "a built-in name, a file path or hf:<owner>/<name>, optionally followed by :key=value,..." });
  if (fileExists(text)) return { source: text, options: {} };
  const colon = findOptionsColon(text);
  if (colon < 0) return { source: text, options: {} };
  const source = text.slice(0, colon);
  const options: Record<string, string> = {};
  for (const part of text.slice(colon + 1).split(",")) {
    const eq = part.indexOf("=");
    const key = part.slice(0, eq).trim();
    if (eq <= 0 || key === "") {
      throw new InvalidOptionError({ field: "dataset options", value: part, accepted: "key=value pairs separated by commas, e.g. math500:limit=50,seed=1" });
    }
    if (key in options) throw new InvalidOptionError({ field: `dataset option ${key}`, value: part, accepted: "each option once" });
    options[key] = part.slice(eq + 1).trim();
  }
  return { source, options };
}

/** The colon that starts the options: the first one followed by `key=`, after any "hf:" prefix. */
function findOptionsColon(text: string): number {
  let from = text.startsWith("hf:") ? 3 : 0;
  for (let i = text.indexOf(":", from); i >= 0; i = text.indexOf(":", i + 1)) {
    if (OPTION.test(text.slice(i + 1))) return i;
    from = i + 1;
  }
  return -1;
}

/** A non-negative integer option, or undefined when absent; throws naming the option otherwise. */
export function integerOption(options: Record<string, string>, key: string, where: string): number | undefined {
  const raw = options[key];
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new InvalidOptionError({ field: key, value: raw, accepted: "a non-negative integer", where });
  return Number(raw);
}
