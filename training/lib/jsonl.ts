import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { createInterface } from "node:readline";

/** Rows of a JSONL file, one parsed object per non-empty line; a bad line throws naming the file and line. */
export async function* readJsonl<T>(path: string): AsyncGenerator<T> {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    line++;
    if (text.trim().length === 0) continue;
    try {
      yield JSON.parse(text) as T;
    } catch (cause) {
      throw new Error(`${path}:${line}: not valid JSON (${String(cause)})`);
    }
  }
}

/** Appends JSON lines to a new file, respecting back-pressure. */
export class JsonlWriter {
  readonly #out: WriteStream;

  private constructor(out: WriteStream) {
    this.#out = out;
  }

  static async create(path: string): Promise<JsonlWriter> {
    await mkdir(dirname(path), { recursive: true });
    return new JsonlWriter(createWriteStream(path));
  }

  async write(row: unknown): Promise<void> {
    if (!this.#out.write(JSON.stringify(row) + "\n")) await new Promise<void>((resolve) => this.#out.once("drain", () => resolve()));
  }

  close(): Promise<void> {
    return new Promise<void>((resolve) => this.#out.end(() => resolve()));
  }
}
