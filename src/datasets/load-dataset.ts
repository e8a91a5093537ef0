import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { AnswerReader } from "../core/answer-reader.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { Problem } from "../core/problem.js";
import { shuffled } from "../core/rng.js";
import { answerReaderFor } from "../grading/math-answer-reader.js";
import { datasetFormats, recordsToProblems, type DatasetFormat, type FieldMapping } from "./dataset-formats.js";
import { integerOption, parseDatasetSpec } from "./dataset-spec.js";
import { DatasetError } from "./errors/dataset-error.js";
import { fetchHubDataset, type HubOptions } from "./hub-dataset.js";
import { readRecords } from "./read-records.js";
import { checkoutSharedData } from "./shared-data.js";
import { loadSynthetic } from "./synthetic/load-synthetic.js";
import { syntheticAnswerReader } from "./synthetic/synthetic-answer-reader.js";

/** A built-in benchmark: where a checkout finds it beside the repository, and where users get it on the Hub. */
interface BuiltIn {
  format: string;
  shared: string;
  /** A JSONL/JSON file of the Hub dataset, or a config and split read through the rows API (for parquet-only datasets). */
  hub: { repo: string; file?: string; config?: string; split?: string };
}

const BUILT_INS: Readonly<Record<string, BuiltIn>> = {
  math500: { format: "math500", shared: "math500/test.jsonl", hub: { repo: "HuggingFaceH4/MATH-500", file: "test.jsonl" } },
  gsm8k: { format: "gsm8k", shared: "gsm8k/test.jsonl", hub: { repo: "openai/gsm8k", config: "main", split: "test" } },
  aime24: { format: "aime", shared: "aime/aime2024.jsonl", hub: { repo: "HuggingFaceH4/aime_2024", config: "default", split: "train" } },
  aime25: { format: "aime", shared: "aime/aime2025.jsonl", hub: { repo: "yentinglin/aime_2025", config: "default", split: "train" } },
  amc23: { format: "amc", shared: "amc23/test.jsonl", hub: { repo: "math-ai/amc23", file: "test.jsonl" } },
};

/** Names `--dataset` accepts besides file paths and hf:<owner>/<name>. */
export const DATASET_NAMES: readonly string[] = ["synthetic", ...Object.keys(BUILT_INS)];

export const DATASET_SPEC_HELP = `A dataset is one of:
  synthetic[:levels=1-10,count=100,seed=0]   ponder's arithmetic word problems (levels = operations)
  ${Object.keys(BUILT_INS).join(" | ")}       read from ../shared/data beside a checkout, else from the Hub (cached)
  <file.jsonl|file.json>[:opts]              a local file
  hf:<owner>/<name>:file=<path>[,revision=R] a JSONL/JSON file of a Hub dataset (downloaded once, cached)
  hf:<owner>/<name>:config=C,split=S         a Hub dataset's rows through the datasets-server rows API
Options (after ":", comma-separated): limit=N, seed=N (a seeded random subset; no seed: the first N),
format=${Object.keys(datasetFormats).join("|")}, and a field mapping question=F, answer=F, id=F, level=F.`;

export interface LoadedDataset {
  /** The spec as given. */
  name: string;
  problems: Problem[];
  /** The answer reader suited to the dataset's solutions. */
  answers: AnswerReader;
}

export interface LoadDatasetOptions extends HubOptions {
  /** Where built-in names are looked up first (default ../shared/data beside a checkout; never beside an installed package). */
  sharedDir?: string;
}

const MAPPING_KEYS = ["question", "answer", "id", "level"] as const;

/**
 * Problems of a dataset spec (see DATASET_SPEC_HELP) with the answer reader that suits them.
 * @example const { problems, answers } = await loadDataset("math500:limit=50,seed=1");
 */
export async function loadDataset(spec: string, options: LoadDatasetOptions = {}): Promise<LoadedDataset> {
  const { source, options: o } = parseDatasetSpec(spec, existsSync);
  const where = `dataset ${source}`;
  const known = new Set(["limit", "seed", "format", ...MAPPING_KEYS, "file", "config", "split", "revision", "levels", "count"]);
  for (const key of Object.keys(o)) if (!known.has(key)) throw new InvalidOptionError({ field: `dataset option ${key}`, value: o[key], accepted: [...known].join(", "), where });
  const limit = integerOption(o, "limit", where);
  const seed = integerOption(o, "seed", where);

  if (source === "synthetic") {
    const problems = loadSynthetic({ levels: o.levels ?? "1-10", count: integerOption(o, "count", where) ?? limit ?? 100, seed: seed ?? 0 });
    return { name: spec, problems: limit === undefined ? problems : problems.slice(0, limit), answers: syntheticAnswerReader };
  }
  for (const key of ["levels", "count"]) if (o[key] !== undefined) throw new InvalidOptionError({ field: `dataset option ${key}`, value: o[key], accepted: "only with the synthetic dataset", where });

  const builtIn = BUILT_INS[source];
  let file: string;
  let text: string;
  if (builtIn) {
    const local = checkoutSharedData(builtIn.shared, options.sharedDir);
    if (local !== undefined) {
      file = local;
      text = await readFile(local, "utf8");
    } else {
      ({ file, text } = await fetchHubDataset(builtIn.hub, options));
    }
  } else if (source.startsWith("hf:")) {
    const repo = source.slice(3);
    ({ file, text } = await fetchHubDataset({ repo, file: o.file, config: o.config, split: o.split, revision: o.revision }, options));
  } else {
    if (!existsSync(source)) throw new DatasetError({ file: source, problem: `no such file, and not a dataset name (${DATASET_NAMES.join(", ")}) or hf:<owner>/<name>` });
    file = source;
    text = await readFile(source, "utf8");
  }

  const formatName = o.format ?? builtIn?.format ?? "generic";
  const format: DatasetFormat | undefined = datasetFormats[formatName];
  if (!format) throw new InvalidOptionError({ field: "dataset option format", value: formatName, accepted: Object.keys(datasetFormats).join(", "), where });
  const mapping: Partial<FieldMapping> = {};
  for (const key of MAPPING_KEYS) if (o[key] !== undefined) mapping[key] = o[key];
  let problems = recordsToProblems(readRecords(text, file), file, format, mapping);
  if (problems.length === 0) throw new DatasetError({ file, problem: "no records" });
  if (seed !== undefined) problems = shuffled(problems, seed);
  if (limit !== undefined) problems = problems.slice(0, limit);
  return { name: spec, problems, answers: answerReaderFor(format.extraction) };
}
