"""LLaMA decoder (§6.1), HF 4.31 semantics, with a KV cache.

Modules carry the HF names under `model.layers.{i}`: `self_attn.{q,k,v,o}_proj`,
`mlp.{gate,up,down}_proj`, `input_layernorm`, `post_attention_layernorm`. No biases.
The original runs without a cache (§6.2); `forward_llm(..., cache=None)` is that recomputation,
and a cached run must give the same result as long as the key-padding mask (image holes, §5.4)
is kept for every step, which `KVCache.key_valid` does.
"""
import torch
from torch import nn

from .config import ROPE_BASE


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))   # [D]

    def forward(self, x):
        var = x.pow(2).mean(-1, keepdim=True)           # [..,1]
        return self.weight * (x * torch.rsqrt(var + self.eps))


def rope_tables(head_dim, positions):
    """HF rotate-half RoPE tables in f32: inv_freq_i = 1/10000^(2i/hd), emb = [freqs, freqs].
    positions [T] int -> cos, sin [T,hd]."""
    inv_freq = 1.0 / (ROPE_BASE ** (torch.arange(0, head_dim, 2).float() / head_dim))  # [hd/2]
    freqs = positions.float()[:, None] * inv_freq[None, :]                             # [T,hd/2]
    emb = torch.cat([freqs, freqs], dim=-1)                                            # [T,hd]
    return emb.cos(), emb.sin()


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


class LlamaAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, hd = cfg.hidden_size, cfg.head_dim
        self.heads, self.kv_heads, self.head_dim = cfg.num_attention_heads, cfg.num_key_value_heads, hd
        self.q_proj = nn.Linear(d, self.heads * hd, bias=False)      # [H*hd,D]
        self.k_proj = nn.Linear(d, self.kv_heads * hd, bias=False)   # [KV*hd,D]
        self.v_proj = nn.Linear(d, self.kv_heads * hd, bias=False)
        self.o_proj = nn.Linear(self.heads * hd, d, bias=False)      # [D,H*hd]

    def forward(self, x, cos, sin, layer_cache, allowed):
        """x [1,T,D]; cos/sin [T,hd]; layer_cache: [k, v] (each [1,KV,S,hd]) updated in place;
        allowed [T,S+T] bool (causal and key padding)."""
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.heads, self.head_dim).transpose(1, 2)     # [1,H,T,hd]
        k = self.k_proj(x).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)  # [1,KV,T,hd]
        v = self.v_proj(x).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = torch.cat([layer_cache[0], k], dim=2)                                     # [1,KV,S+T,hd]
        v = torch.cat([layer_cache[1], v], dim=2)
        layer_cache[0], layer_cache[1] = k, v
        rep = self.heads // self.kv_heads
        k, v = k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1)       # [1,H,S+T,hd]
        logits = (q @ k.transpose(-1, -2)) / (self.head_dim ** 0.5)                   # [1,H,T,S+T]
        logits = logits.masked_fill(~allowed, torch.finfo(torch.float32).min)
        out = torch.softmax(logits.float(), dim=-1) @ v                               # [1,H,T,hd]
        return self.o_proj(out.transpose(1, 2).reshape(b, t, self.heads * self.head_dim))


class LlamaMLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, f = cfg.hidden_size, cfg.intermediate_size
        self.gate_proj = nn.Linear(d, f, bias=False)   # [F,D]
        self.up_proj = nn.Linear(d, f, bias=False)     # [F,D]
        self.down_proj = nn.Linear(f, d, bias=False)   # [D,F]

    def forward(self, y):
        return self.down_proj(nn.functional.silu(self.gate_proj(y)) * self.up_proj(y))


class LlamaDecoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.self_attn = LlamaAttention(cfg)
        self.mlp = LlamaMLP(cfg)
        self.input_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.post_attention_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)

    def forward(self, x, cos, sin, layer_cache, allowed):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, layer_cache, allowed)  # [1,T,D]
        return x + self.mlp(self.post_attention_layernorm(x))


class KVCache:
    """Per-layer post-RoPE keys/values plus the validity of every cached key position."""

    def __init__(self, cfg):
        empty = torch.zeros(1, cfg.num_key_value_heads, 0, cfg.head_dim)
        self.layers = [[empty, empty] for _ in range(cfg.num_hidden_layers)]
        self.key_valid = torch.zeros(0, dtype=torch.bool)   # [S]

    @property
    def length(self):
        return self.key_valid.shape[0]


def forward_llm(core, cfg, embeds, key_valid, cache=None):
    """Run the decoder on new inputs. core = the `model` submodule (layers, norm); embeds [1,T,D];
    key_valid [T] bool for the new positions (False = masked image slot, §5.4).
    Positions continue from the cache (0..L-1 with no gaps, masked slots included).
    Returns (post-norm hidden [1,T,D] (§6.3), cache)."""
    cache = cache or KVCache(cfg)
    start, t = cache.length, embeds.shape[1]
    positions = torch.arange(start, start + t)                                   # [T]
    cos, sin = rope_tables(cfg.head_dim, positions)                              # [T,hd]
    cache.key_valid = torch.cat([cache.key_valid, key_valid])                    # [S+T]
    keys = torch.arange(start + t)                                               # [S+T]
    allowed = (keys[None, :] <= positions[:, None]) & cache.key_valid[None, :]   # [T,S+T]
    x = embeds
    for layer, layer_cache in zip(core.layers, cache.layers):
        x = layer(x, cos, sin, layer_cache, allowed)
    return core.norm(x), cache
