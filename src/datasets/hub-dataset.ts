import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { cacheRoot } from "../core/cache-root.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { DatasetError } from "./errors/dataset-error.js";

export interface HubOptions {
  /** Root of the user's cache (default $PONDER_CACHE_DIR, else $XDG_CACHE_HOME/ponder, else ~/.cache/ponder). */
  cacheDir?: string;
  /** The Hub (default $HF_ENDPOINT, else https://huggingface.co). */
  endpoint?: string;
  /** The datasets-server (default $PONDER_HF_ROWS_ENDPOINT, else https://datasets-server.huggingface.co). */
  rowsEndpoint?: string;
  /** Swappable fetch. */
  fetch?: typeof globalThis.fetch;
  /** Told of each download (progress). */
  onDownload?: (url: string) => void;
}

export interface HubDatasetRef {
  /** owner/name */
  repo: string;
  /** A JSONL or JSON file in the dataset repository. */
  file?: string | undefined;
  /** Or a config and split, read as rows from the datasets-server (any storage format, parquet included). */
  config?: string | undefined;
  split?: string | undefined;
  /** Branch, tag or commit (default main). */
  revision?: string | undefined;
}

const ROWS_PAGE = 100;

/**
 * The text of a Hub dataset file (or its rows as JSONL), downloaded once into the user's cache and
 * read from there afterwards. Uses $HF_TOKEN when set, and never puts it in an error.
 */
export async function fetchHubDataset(ref: HubDatasetRef, options: HubOptions = {}): Promise<{ file: string; text: string }> {
  if (!/^[\w.-]+\/[\w.-]+$/.test(ref.repo)) throw new InvalidOptionError({ field: "dataset", value: `hf:${ref.repo}`, accepted: "hf:<owner>/<name>" });
  if (!ref.file && !(ref.config && ref.split)) throw new InvalidOptionError({ field: "dataset options", value: `hf:${ref.repo}`, accepted: "file=<path in the repo>, or config=<name>,split=<name>", where: `dataset hf:${ref.repo}` });
  const revision = ref.revision ?? "main";
  const cached = join(cacheRoot(options.cacheDir), "datasets", ref.repo, revision, ref.file ?? `${ref.config}-${ref.split}.rows.jsonl`);
  if (existsSync(cached)) return { file: cached, text: await readFile(cached, "utf8") };

  const text = ref.file ? await download(fileUrl(ref.repo, revision, ref.file, options), options) : await downloadRows(ref.repo, ref.config!, ref.split!, revision, options);
  await mkdir(dirname(cached), { recursive: true });
  // Written whole then renamed, so an interrupted download never leaves a truncated cache entry.
  const partial = `${cached}.${process.pid}.partial`;
  await writeFile(partial, text);
  await rename(partial, cached);
  return { file: cached, text };
}

function fileUrl(repo: string, revision: string, file: string, options: HubOptions): string {
  const base = (options.endpoint ?? process.env.HF_ENDPOINT ?? "https://huggingface.co").replace(/\/+$/, "");
  return `${base}/datasets/${repo}/resolve/${encodeURIComponent(revision)}/${file.split("/").map(encodeURIComponent).join("/")}`;
}

async function downloadRows(repo: string, config: string, split: string, revision: string, options: HubOptions): Promise<string> {
  const base = (options.rowsEndpoint ?? process.env.PONDER_HF_ROWS_ENDPOINT ?? "https://datasets-server.huggingface.co").replace(/\/+$/, "");
  const lines: string[] = [];
  for (let offset = 0, total = Infinity; offset < total; offset += ROWS_PAGE) {
    const query = new URLSearchParams({ dataset: repo, config, split, offset: String(offset), length: String(ROWS_PAGE) });
    if (revision !== "main") query.set("revision", revision);
    const url = `${base}/rows?${query}`;
    const page = JSON.parse(await download(url, options)) as { rows?: { row: unknown }[]; num_rows_total?: number };
    if (!Array.isArray(page.rows) || typeof page.num_rows_total !== "number") throw new DatasetError({ file: url, problem: "expected the rows API's {rows, num_rows_total}" });
    total = page.num_rows_total;
    for (const r of page.rows) lines.push(JSON.stringify(r.row));
    if (page.rows.length === 0) break;
  }
  return `${lines.join("\n")}\n`;
}

async function download(url: string, options: HubOptions): Promise<string> {
  options.onDownload?.(url);
  const token = process.env.HF_TOKEN;
  let response: Response;
  try {
    response = await (options.fetch ?? globalThis.fetch)(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, redirect: "follow" });
  } catch (error) {
    throw new DatasetError({ file: url, problem: `download failed (${(error as Error).message}); offline? built-in datasets are read from ../shared/data when present, or give a local file`, cause: error });
  }
  if (!response.ok) {
    const hint = response.status === 401 || response.status === 403 ? "; a gated dataset needs HF_TOKEN" : response.status === 404 ? "; check the name, file, config and split" : "";
    throw new DatasetError({ file: url, problem: `HTTP ${response.status} ${response.statusText}${hint}` });
  }
  return response.text();
}
