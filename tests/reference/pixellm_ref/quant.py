"""GGUF Q8_0 / Q4_0 fake quantization, bit-exact with the engine's rules (ggml's reference
quantizers), and the exact GGUF block bytes.

Blocks of 32 consecutive values along the innermost (row) dimension. All arithmetic is float32
exactly as C float math, with no fused multiply-add:
* Q8_0: amax = max|x|; d = amax/127; id = d ? 1/d : 0; q = roundf(x*id) (half away from zero);
  block = f16(d) little-endian + 32 int8; value = q * float(f16(d)).
* Q4_0: m = the value of largest |x| (first on ties, sign kept); d = m/-8; id = d ? 1/d : 0;
  q = min(15, trunc(x*id + 8.5f)); block = f16(d) + 16 bytes, byte j = q[j] | q[j+16] << 4;
  value = (q - 8) * float(f16(d)). An all-zero block stores d = 0/-8 = -0.0 (f16 0x8000).
f16(d) rounds to nearest even (numpy's float32 -> float16 conversion, as F16C does).
"""
from dataclasses import dataclass

import numpy as np
import torch

from .model import llm_matrix_names

QK = 32
KINDS = ("q8_0", "q4_0")
BLOCK_DTYPES = {"q8_0": np.dtype([("d", "<f2"), ("qs", "i1", (QK,))]),
                "q4_0": np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])}


@dataclass
class Blocks:
    kind: str
    shape: tuple
    d: np.ndarray        # [nb] float16 scales
    q: np.ndarray        # [nb,32] int8 (Q8_0: -127..127; Q4_0: 0..15)


def _rows(x):
    a = x.detach().to(torch.float32).contiguous().numpy()
    if a.ndim == 0 or a.shape[-1] % QK:
        raise ValueError(f"rows of length {a.shape[-1] if a.ndim else 0} are not a multiple of {QK}")
    return a.reshape(-1, QK)                                   # [nb,32] f32


def _inverse(d):
    out = np.zeros_like(d)
    np.divide(np.float32(1), d, out=out, where=d != 0)         # f32 1/d, 0 where d == 0
    return out


def _roundf(v):
    """C roundf: half away from zero, exact in f32."""
    t = np.trunc(v)
    return t + np.where(np.abs(v - t) >= np.float32(0.5), np.sign(v), np.float32(0))


def quantize(x, kind):
    a = _rows(x)
    if kind == "q8_0":
        d = np.abs(a).max(axis=1) / np.float32(127)                       # [nb] f32
        q = _roundf(a * _inverse(d)[:, None]).astype(np.int8)             # [nb,32]
    elif kind == "q4_0":
        m = a[np.arange(a.shape[0]), np.argmax(np.abs(a), axis=1)]        # first max |x|, signed
        d = m / np.float32(-8)                                            # [nb] f32
        w = a * _inverse(d)[:, None] + np.float32(8.5)                    # two rounded f32 ops
        q = np.minimum(np.trunc(w), 15).astype(np.int8)                   # [nb,32] 0..15
    else:
        raise ValueError(f"unknown quantization {kind!r} (choose from {KINDS})")
    return Blocks(kind=kind, shape=tuple(x.shape), d=d.astype(np.float16), q=q)


def dequantize(blocks):
    d = blocks.d.astype(np.float32)[:, None]                              # [nb,1]
    q = blocks.q.astype(np.float32) if blocks.kind == "q8_0" else (blocks.q.astype(np.int32) - 8).astype(np.float32)
    return torch.from_numpy((q * d).reshape(blocks.shape))


def fake_quantize(x, kind):
    """Round a weight tensor through `kind` and back: f32 tensor of the same shape."""
    return dequantize(quantize(x, kind))


def pack(blocks):
    """The GGUF bytes of a tensor's blocks, in order."""
    rec = np.zeros(blocks.d.shape[0], dtype=BLOCK_DTYPES[blocks.kind])
    rec["d"] = blocks.d
    if blocks.kind == "q8_0":
        rec["qs"] = blocks.q
    else:
        q = blocks.q.astype(np.uint8)
        rec["qs"] = q[:, :QK // 2] | (q[:, QK // 2:] << 4)
    return rec.tobytes()


def unpack(data, kind, shape):
    rec = np.frombuffer(data, dtype=BLOCK_DTYPES[kind])
    if kind == "q8_0":
        q = rec["qs"].astype(np.int8)
    else:
        q = np.concatenate([rec["qs"] & 0x0F, rec["qs"] >> 4], axis=1).astype(np.int8)
    return Blocks(kind=kind, shape=tuple(shape), d=rec["d"].astype(np.float16), q=q)


@torch.no_grad()
def fake_quantize_llm(model, kind):
    """Replace the LLM's 2-D matrices (embedding, attention, MLP, lm_head) by their round trip
    through `kind`, in place, as the engine quantizes them. Returns the names touched."""
    params = dict(model.named_parameters())
    names = llm_matrix_names(model.config)
    for name in names:
        params[name].copy_(fake_quantize(params[name], kind))
    return names
