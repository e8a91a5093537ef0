"""A llama-architecture transformer laid out exactly as llama.cpp's `llama` graph computes it.

RoPE rotates adjacent pairs (x[2i], x[2i+1]) like llama.cpp's normal rope mode, so weights
export to GGUF without the permutation Hugging Face checkpoints need. Parameter names are the
GGUF tensor names, so the exporter maps them one to one.
"""
import math
from dataclasses import dataclass, asdict

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class LlamaConfig:
    vocab_size: int
    dim: int
    layers: int
    heads: int
    ffn_dim: int
    context_length: int = 1024
    rope_theta: float = 10000.0
    rms_eps: float = 1e-5

    def to_json(self):
        return asdict(self)


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope_tables(head_dim, length, theta):
    inv = theta ** (-torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim)
    angles = torch.arange(length, dtype=torch.float32)[:, None] * inv[None, :]
    return torch.cos(angles), torch.sin(angles)


def apply_rope(x, cos, sin):
    # x: (batch, heads, time, head_dim); pairs are (x[2i], x[2i+1]).
    even, odd = x[..., 0::2], x[..., 1::2]
    rotated = torch.stack((even * cos - odd * sin, even * sin + odd * cos), dim=-1)
    return rotated.flatten(-2)


class Block(nn.Module):
    def __init__(self, c: LlamaConfig):
        super().__init__()
        self.heads = c.heads
        self.attn_norm = RMSNorm(c.dim, c.rms_eps)
        self.attn_q = nn.Linear(c.dim, c.dim, bias=False)
        self.attn_k = nn.Linear(c.dim, c.dim, bias=False)
        self.attn_v = nn.Linear(c.dim, c.dim, bias=False)
        self.attn_output = nn.Linear(c.dim, c.dim, bias=False)
        self.ffn_norm = RMSNorm(c.dim, c.rms_eps)
        self.ffn_gate = nn.Linear(c.dim, c.ffn_dim, bias=False)
        self.ffn_up = nn.Linear(c.dim, c.ffn_dim, bias=False)
        self.ffn_down = nn.Linear(c.ffn_dim, c.dim, bias=False)

    def forward(self, x, cos, sin, mask):
        b, t, d = x.shape
        h = self.attn_norm(x)
        split = lambda y: y.view(b, t, self.heads, d // self.heads).transpose(1, 2)
        q = apply_rope(split(self.attn_q(h)), cos, sin)
        k = apply_rope(split(self.attn_k(h)), cos, sin)
        v = split(self.attn_v(h))
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(d // self.heads) + mask
        attended = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.attn_output(attended)
        h = self.ffn_norm(x)
        return x + self.ffn_down(F.silu(self.ffn_gate(h)) * self.ffn_up(h))


class Llama(nn.Module):
    """Token embedding tied to the output projection (the GGUF has no `output.weight`)."""

    def __init__(self, c: LlamaConfig):
        super().__init__()
        self.config = c
        self.token_embd = nn.Embedding(c.vocab_size, c.dim)
        self.blk = nn.ModuleList(Block(c) for _ in range(c.layers))
        self.output_norm = RMSNorm(c.dim, c.rms_eps)
        cos, sin = rope_tables(c.dim // c.heads, c.context_length, c.rope_theta)
        self.register_buffer("rope_cos", cos, persistent=False)
        self.register_buffer("rope_sin", sin, persistent=False)
        self.apply(self._init)
        for block in self.blk:
            for proj in (block.attn_output, block.ffn_down):
                nn.init.normal_(proj.weight, std=0.02 / math.sqrt(2 * c.layers))

    @staticmethod
    def _init(module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, std=0.02)

    def forward(self, ids):
        t = ids.shape[1]
        x = self.token_embd(ids)
        mask = torch.full((t, t), float("-inf")).triu(1)
        cos, sin = self.rope_cos[:t], self.rope_sin[:t]
        for block in self.blk:
            x = block(x, cos, sin, mask)
        return self.output_norm(x) @ self.token_embd.weight.T

    def gguf_state(self):
        """Weights by GGUF tensor name (`blk.0.attn_q.weight`, ...)."""
        return {name: p.detach().float().contiguous() for name, p in self.named_parameters()}

    def parameter_count(self):
        return sum(p.numel() for p in self.parameters())
