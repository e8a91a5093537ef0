import { readFile } from "node:fs/promises";

/** Tensors and string metadata of a safetensors file whose tensors are all F32 (what training/train.py writes). */
export async function readSafetensors(path: string): Promise<{ tensors: Map<string, { shape: number[]; data: Float32Array }>; metadata: Record<string, string> }> {
  const bytes = await readFile(path);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString("utf8")) as Record<string, unknown>;
  const base = 8 + headerLength;
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  delete header.__metadata__;
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, value] of Object.entries(header)) {
    const info = value as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (info.dtype !== "F32") throw new Error(`${path}: tensor ${name} has dtype ${info.dtype}; only F32 is supported`);
    const [start, end] = info.data_offsets;
    // Copy into an aligned buffer: the data section need not start at a multiple of 4.
    const data = new Float32Array(new Uint8Array(bytes.subarray(base + start, base + end)).buffer);
    const expected = info.shape.reduce((a, b) => a * b, 1);
    if (data.length !== expected) throw new Error(`${path}: tensor ${name} holds ${data.length} values, its shape ${info.shape.join("×")} needs ${expected}`);
    tensors.set(name, { shape: info.shape, data });
  }
  return { tensors, metadata };
}
