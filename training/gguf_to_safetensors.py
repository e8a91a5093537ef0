"""Reads a demo-model GGUF (as training/export-gguf.ts writes it) back into a model.safetensors
that train.py's --init takes, so a shipped model can be fine-tuned without its training run.

Usage: python3 training/gguf_to_safetensors.py models/revision.gguf training/out/revision-shipped/model.safetensors

Only the F32 tensors and llama metadata this project writes are supported; anything else is an error.
"""
import json
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import Llama, LlamaConfig  # noqa: E402
from safetensors_io import save_safetensors  # noqa: E402

# GGUF value types: fixed-width scalars by struct format, then string (8) and array (9).
SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}


class Reader:
    def __init__(self, data):
        self.data = data
        self.at = 0

    def scalar(self, fmt):
        (value,) = struct.unpack_from(fmt, self.data, self.at)
        self.at += struct.calcsize(fmt)
        return value

    def string(self):
        length = self.scalar("<Q")
        text = self.data[self.at : self.at + length].decode("utf8")
        self.at += length
        return text

    def value(self, kind):
        if kind in SCALARS:
            return self.scalar(SCALARS[kind])
        if kind == 8:
            return self.string()
        if kind == 9:
            inner = self.scalar("<I")
            return [self.value(inner) for _ in range(self.scalar("<Q"))]
        raise ValueError(f"unknown GGUF value type {kind}")


def read_gguf(path):
    with open(path, "rb") as f:
        r = Reader(f.read())
    if r.data[:4] != b"GGUF":
        raise ValueError(f"{path}: not a GGUF file")
    r.at = 4
    version = r.scalar("<I")
    if version != 3:
        raise ValueError(f"{path}: GGUF version {version}; only version 3 is written by this project")
    tensor_count, kv_count = r.scalar("<Q"), r.scalar("<Q")
    metadata = {}
    for _ in range(kv_count):
        key = r.string()
        metadata[key] = r.value(r.scalar("<I"))
    infos = []
    for _ in range(tensor_count):
        name = r.string()
        dims = [r.scalar("<Q") for _ in range(r.scalar("<I"))]
        kind, offset = r.scalar("<I"), r.scalar("<Q")
        if kind != 0:
            raise ValueError(f"{path}: tensor {name} has ggml type {kind}; only F32 (0) is supported")
        infos.append((name, list(reversed(dims)), offset))
    alignment = metadata.get("general.alignment", 32)
    base = r.at + (-r.at % alignment)
    tensors = {}
    for name, shape, offset in infos:
        count = int(np.prod(shape))
        array = np.frombuffer(r.data, dtype="<f4", count=count, offset=base + offset).reshape(shape)
        tensors[name] = torch.from_numpy(array.copy())
    return metadata, tensors


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gguf_to_safetensors.py <model.gguf> <out model.safetensors>")
    source, out = sys.argv[1:]
    metadata, tensors = read_gguf(source)
    config = LlamaConfig(
        vocab_size=len(metadata["tokenizer.ggml.tokens"]),
        dim=metadata["llama.embedding_length"],
        layers=metadata["llama.block_count"],
        heads=metadata["llama.attention.head_count"],
        ffn_dim=metadata["llama.feed_forward_length"],
        context_length=metadata["llama.context_length"],
        rope_theta=float(metadata["llama.rope.freq_base"]),
        rms_eps=float(metadata["llama.attention.layer_norm_rms_epsilon"]),
    )
    model = Llama(config)
    model.load_state_dict(tensors, strict=True)  # the GGUF names are the model's parameter names
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    save_safetensors(out, model.gguf_state(), {"config": json.dumps(config.to_json()), "from_gguf": source})
    print(f"wrote {out}: {model.parameter_count()} parameters from {source}")


if __name__ == "__main__":
    main()
