"""CLIP ViT vision tower run at 448 with a key-padding mask (§3), HF CLIPVisionModel names.

Attribute paths mirror the checkpoint (`vision_model.embeddings.patch_embedding.weight`, ...), so
the CLIP state dict loads unchanged. `position_embedding.weight` keeps the ORIGINAL table
(e.g. [577,C]); the §3.2 stretch to [1025,C] is applied in `positions()`.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

from .config import GRID, IMAGE_SIZE, MID_LAYER


def stretch_position_table(table, patch_size):
    """§3.2, reproducing the CLS mis-indexing. table [1+g0*g0, C] (row 0 is the real CLS)
    -> [1+g1*g1, C] with g1 = 448 / patch_size.
    The code treats the LAST row as CLS: it is appended unchanged at the end, and rows 0..g0²-1
    (the real CLS followed by all patches but the last) are bilinearly resized as a g0 x g0 grid."""
    rows, c = table.shape
    g0 = math.isqrt(rows - 1)
    if g0 * g0 != rows - 1:
        raise ValueError(f"position table has {rows} rows, not 1 + a square")
    g1 = IMAGE_SIZE // patch_size
    cls_star = table[-1:]                                           # [1,C] really patch (g0-1,g0-1)
    grid = table[:-1].t().reshape(1, c, g0, g0)                     # [1,C,g0,g0], G[r][c] = P[g0*r+c]
    grid = F.interpolate(grid.float(), size=(g1, g1), mode="bilinear", align_corners=False)  # [1,C,g1,g1]
    return torch.cat([grid[0].flatten(1).t(), cls_star.float()], dim=0)  # [1+g1*g1, C]


def quick_gelu(x):
    return x * torch.sigmoid(1.702 * x)


class ClipEmbeddings(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c = cfg.hidden_size
        self.patch_size = cfg.patch_size
        self.class_embedding = nn.Parameter(torch.zeros(c))                                   # [C]
        self.patch_embedding = nn.Conv2d(3, c, cfg.patch_size, cfg.patch_size, bias=False)   # [C,3,14,14]
        self.position_embedding = nn.Embedding(cfg.orig_grid ** 2 + 1, c)                    # [1+g0²,C]

    def positions(self):
        return stretch_position_table(self.position_embedding.weight, self.patch_size)  # [1025,C]

    def forward(self, pixels):
        e = self.patch_embedding(pixels)                       # [1,C,32,32]
        e = e.flatten(2).transpose(1, 2)                       # [1,1024,C] raster order
        cls = self.class_embedding.view(1, 1, -1)              # [1,1,C]
        # The table is stretched in f32 at load (§3.2) and takes the model dtype with the model.
        return torch.cat([cls, e], dim=1) + self.positions().to(e.dtype)  # [1,1025,C]; CLS gets Pn[0]


class ClipAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c = cfg.hidden_size
        self.heads = cfg.num_attention_heads
        self.scale = (c // self.heads) ** -0.5
        self.q_proj, self.k_proj = nn.Linear(c, c), nn.Linear(c, c)
        self.v_proj, self.out_proj = nn.Linear(c, c), nn.Linear(c, c)

    def forward(self, x, key_bias):
        b, t, c = x.shape                                              # [1,1025,C]
        split = lambda y: y.view(b, t, self.heads, c // self.heads).transpose(1, 2)  # [1,h,T,hd]
        q = split(self.q_proj(x) * self.scale)
        k, v = split(self.k_proj(x)), split(self.v_proj(x))
        logits = q @ k.transpose(-1, -2) + key_bias                    # [1,h,T,T]; bias [T] per key
        out = torch.softmax(logits, dim=-1) @ v                        # [1,h,T,hd]
        return self.out_proj(out.transpose(1, 2).reshape(b, t, c))     # [1,T,C]


class ClipMlp(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.fc1 = nn.Linear(cfg.hidden_size, cfg.intermediate_size)
        self.fc2 = nn.Linear(cfg.intermediate_size, cfg.hidden_size)

    def forward(self, x):
        return self.fc2(quick_gelu(self.fc1(x)))


class ClipEncoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.self_attn = ClipAttention(cfg)
        self.layer_norm1 = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)
        self.mlp = ClipMlp(cfg)
        self.layer_norm2 = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)

    def forward(self, x, key_bias):
        x = x + self.self_attn(self.layer_norm1(x), key_bias)  # [1,T,C]
        return x + self.mlp(self.layer_norm2(x))


class ClipEncoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.layers = nn.ModuleList(ClipEncoderLayer(cfg) for _ in range(cfg.num_hidden_layers))


class ClipVisionTransformer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embeddings = ClipEmbeddings(cfg)
        self.pre_layrnorm = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)
        self.encoder = ClipEncoder(cfg)
        self.post_layernorm = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)  # loaded, unused (§3.1)


class ClipVisionModel(nn.Module):
    """HF CLIPVisionModel layout; the state-dict prefix is `vision_model.`."""

    def __init__(self, cfg):
        super().__init__()
        self.config = cfg
        self.vision_model = ClipVisionTransformer(cfg)

    def forward(self, pixels, clip_key_mask):
        """§3.3. pixels [1,3,448,448], clip_key_mask [1025] bool (CLS + 32x32 patches).
        Returns the hidden-state list hs[0..n_layers], each [1,1025,C]; hs[0] = LN_pre(embeddings).
        Padded patches stay queries; they are only masked as keys (bias = the dtype's min)."""
        vm = self.vision_model
        x = vm.pre_layrnorm(vm.embeddings(pixels))                 # [1,1025,C]
        # HF's _expand_mask: the bias takes the working dtype (f32 here; bf16 in a bf16 run, §12.3).
        key_bias = torch.zeros(clip_key_mask.shape, dtype=x.dtype)  # [1025]
        key_bias[~clip_key_mask] = torch.finfo(x.dtype).min
        hs = [x]
        for layer in vm.encoder.layers:
            x = layer(x, key_bias)
            hs.append(x)
        return hs


def select_features(hs, select_layer):
    """§3.3: F_deep = hs[select_layer][:,1:] (select_layer = -2), F_mid = hs[-11][:,1:]
    (the [hard] MID_LAYER), each [1,1024,C]; CLS dropped ("patch")."""
    f_deep, f_mid = hs[select_layer][:, 1:], hs[MID_LAYER][:, 1:]
    assert f_deep.shape[1] == GRID * GRID
    return f_deep, f_mid
