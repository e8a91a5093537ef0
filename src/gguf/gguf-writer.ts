import { open } from "node:fs/promises";

/** A metadata value with its GGUF type. */
export type GgufValue =
  | { type: "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "f32" | "f64"; value: number }
  | { type: "u64" | "i64"; value: bigint | number }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "array"; of: "u32" | "i32" | "f32" | "string"; value: readonly (number | string)[] };

/** A tensor in PyTorch's (out, in) order; the writer reverses the dimensions as ggml expects. */
export interface GgufTensor {
  name: string;
  shape: readonly number[];
  /** F16 halves the file; values are rounded to half precision on write. */
  type: "F32" | "F16";
  data: Float32Array;
}

export interface GgufFile {
  metadata: Readonly<Record<string, GgufValue>>;
  tensors: readonly GgufTensor[];
}

export const gguf = {
  u32: (value: number): GgufValue => ({ type: "u32", value }),
  i32: (value: number): GgufValue => ({ type: "i32", value }),
  f32: (value: number): GgufValue => ({ type: "f32", value }),
  bool: (value: boolean): GgufValue => ({ type: "bool", value }),
  string: (value: string): GgufValue => ({ type: "string", value }),
  strings: (value: readonly string[]): GgufValue => ({ type: "array", of: "string", value }),
  f32s: (value: readonly number[]): GgufValue => ({ type: "array", of: "f32", value }),
  i32s: (value: readonly number[]): GgufValue => ({ type: "array", of: "i32", value }),
};

const VALUE_TYPE = { u8: 0, i8: 1, u16: 2, i16: 3, u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9, u64: 10, i64: 11, f64: 12 } as const;
const TENSOR_TYPE = { F32: 0, F16: 1 } as const;
const ALIGNMENT = 32;

/** Writes a GGUF v3 file that llama.cpp loads. */
export async function writeGguf(path: string, file: GgufFile): Promise<void> {
  const header = new ByteWriter();
  header.u32(0x46554747); // "GGUF"
  header.u32(3);
  header.u64(BigInt(file.tensors.length));
  const metadata = { "general.alignment": gguf.u32(ALIGNMENT), ...file.metadata };
  header.u64(BigInt(Object.keys(metadata).length));
  for (const [key, value] of Object.entries(metadata)) {
    header.string(key);
    header.u32(VALUE_TYPE[value.type]);
    writeValue(header, value);
  }
  let offset = 0;
  const payloads: Uint8Array[] = [];
  for (const tensor of file.tensors) {
    const elements = tensor.shape.reduce((a, b) => a * b, 1);
    if (elements !== tensor.data.length) {
      throw new Error(`tensor ${tensor.name}: shape ${tensor.shape.join("×")} has ${elements} elements, data has ${tensor.data.length}`);
    }
    header.string(tensor.name);
    header.u32(tensor.shape.length);
    for (const dim of [...tensor.shape].reverse()) header.u64(BigInt(dim));
    header.u32(TENSOR_TYPE[tensor.type]);
    header.u64(BigInt(offset));
    const bytes = tensor.type === "F32" ? new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength) : toF16(tensor.data);
    payloads.push(bytes);
    offset += align(bytes.length);
  }
  header.pad(ALIGNMENT);
  const handle = await open(path, "w");
  try {
    await handle.write(header.bytes());
    for (const bytes of payloads) {
      await handle.write(bytes);
      const padding = align(bytes.length) - bytes.length;
      if (padding > 0) await handle.write(new Uint8Array(padding));
    }
  } finally {
    await handle.close();
  }
}

function writeValue(w: ByteWriter, v: GgufValue): void {
  switch (v.type) {
    case "u8": return w.raw(Uint8Array.of(v.value));
    case "i8": return w.raw(Uint8Array.of(v.value & 0xff));
    case "u16": return w.view(2, (d) => d.setUint16(0, v.value, true));
    case "i16": return w.view(2, (d) => d.setInt16(0, v.value, true));
    case "u32": return w.u32(v.value);
    case "i32": return w.view(4, (d) => d.setInt32(0, v.value, true));
    case "f32": return w.view(4, (d) => d.setFloat32(0, v.value, true));
    case "f64": return w.view(8, (d) => d.setFloat64(0, v.value, true));
    case "u64": return w.u64(BigInt(v.value));
    case "i64": return w.view(8, (d) => d.setBigInt64(0, BigInt(v.value), true));
    case "bool": return w.raw(Uint8Array.of(v.value ? 1 : 0));
    case "string": return w.string(v.value);
    case "array": {
      w.u32(VALUE_TYPE[v.of]);
      w.u64(BigInt(v.value.length));
      for (const item of v.value) writeValue(w, { type: v.of, value: item } as GgufValue);
      return;
    }
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGNMENT) * ALIGNMENT;
}

function toF16(data: Float32Array): Uint8Array {
  const out = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = f32ToF16(data[i]!);
  return new Uint8Array(out.buffer);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half precision with round-to-nearest-even, as numpy's astype(float16). */
export function f32ToF16(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1))) half++;
  return sign | half;
}

class ByteWriter {
  #chunks: Uint8Array[] = [];
  #length = 0;

  raw(bytes: Uint8Array): void {
    this.#chunks.push(bytes);
    this.#length += bytes.length;
  }
  view(size: number, fill: (d: DataView) => void): void {
    const buf = new Uint8Array(size);
    fill(new DataView(buf.buffer));
    this.raw(buf);
  }
  u32(v: number): void {
    this.view(4, (d) => d.setUint32(0, v, true));
  }
  u64(v: bigint): void {
    this.view(8, (d) => d.setBigUint64(0, v, true));
  }
  string(s: string): void {
    const bytes = new TextEncoder().encode(s);
    this.u64(BigInt(bytes.length));
    this.raw(bytes);
  }
  pad(alignment: number): void {
    const rest = this.#length % alignment;
    if (rest) this.raw(new Uint8Array(alignment - rest));
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let at = 0;
    for (const c of this.#chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}
