import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readGgufFileInfo } from "node-llama-cpp";
import { f32ToF16, gguf, writeGguf } from "./gguf-writer.js";

function f16ToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

describe("writeGguf", () => {
  it("writes metadata and tensors that GGUF readers parse, with data aligned", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "ponder-gguf-")), "t.gguf");
    const data = Float32Array.from({ length: 6 }, (_, i) => i - 2.5);
    await writeGguf(path, {
      metadata: { "general.name": gguf.string("t"), "x.count": gguf.u32(7), "x.list": gguf.strings(["a", "b"]), "x.eps": gguf.f32(1e-5) },
      tensors: [
        { name: "w", shape: [2, 3], type: "F32", data },
        { name: "h", shape: [3], type: "F16", data: Float32Array.of(1, -2, 0.5) },
      ],
    });
    const info = await readGgufFileInfo(path, { readTensorInfo: true });
    const meta = info.metadata as unknown as { general: { name: string; alignment: number }; x: { count: number; list: string[]; eps: number } };
    assert.equal(meta.general.name, "t");
    assert.equal(meta.x.count, 7);
    assert.deepEqual(meta.x.list, ["a", "b"]);
    assert.ok(Math.abs(meta.x.eps - 1e-5) < 1e-10);
    const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
    assert.deepEqual(tensors.map((t) => [t.name, t.dimensions.map(Number)]), [["w", [3, 2]], ["h", [3]]]);
    const bytes = readFileSync(path);
    const dataOffset = bytes.length - 32 - 32; // two tensors, each padded to 32 bytes
    assert.equal(dataOffset % 32, 0);
    const w = new Float32Array(bytes.buffer.slice(bytes.byteOffset + dataOffset, bytes.byteOffset + dataOffset + 24));
    assert.deepEqual([...w], [...data]);
  });
});

describe("f32ToF16", () => {
  it("rounds to nearest even like numpy", () => {
    for (const v of [0, 1, -1, 0.1, 65504, 1e-5, 6e-8, 3.14159, -2.5e-3, 1 + 2 ** -11, 1 + 3 * 2 ** -11]) {
      const back = f16ToF32(f32ToF16(v));
      const rel = Math.abs(back - v) / Math.max(Math.abs(v), 2 ** -24);
      assert.ok(rel <= 2 ** -11 || Math.abs(back - v) <= 2 ** -25, `${v} -> ${back}`);
    }
    assert.equal(f32ToF16(1 + 2 ** -11), 0x3c00, "a tie rounds down to the even mantissa");
    assert.equal(f32ToF16(1 + 3 * 2 ** -11), 0x3c02, "a tie rounds up to the even mantissa");
    assert.equal(f32ToF16(1e6), 0x7c00, "overflow becomes infinity");
  });
});
