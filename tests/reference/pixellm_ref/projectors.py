"""Projectors and image features (§4). The projector modules themselves are
`model.mm_projector` / `model.out_mm_projector` = Sequential(Linear, GELU(erf), Linear) (model.py)."""
import math

import torch
import torch.nn.functional as F
from torch import nn

from .config import GRID, LLM_GRID


def make_projector(in_dim, hidden_dim, out_dim):
    """§4.1: Linear(in->Hd) -> GELU (exact erf) -> Linear(Hd->out); keys .0.* and .2.*."""
    return nn.Sequential(nn.Linear(in_dim, hidden_dim), nn.GELU(), nn.Linear(hidden_dim, out_dim))


def pool_2x2(f_deep):
    """§4.2 steps 1-3: [1,1024,C] -> [1,C,32,32] -> bilinear(ac=F) to 16x16 (= mean of each 2x2
    block) -> [1,256,C] raster order."""
    n, length, c = f_deep.shape
    g = math.isqrt(length)
    x = f_deep.permute(0, 2, 1).reshape(n, c, g, g)                                    # [1,C,32,32]
    x = F.interpolate(x, size=(LLM_GRID, LLM_GRID), mode="bilinear", align_corners=False)  # [1,C,16,16]
    return x.flatten(2).permute(0, 2, 1)                                               # [1,256,C]


def image_tokens(model, f_deep):
    """§4.2: the 256 LLM image embeddings. Returns (pooled [1,256,C], tokens [1,256,D])."""
    pooled = pool_2x2(f_deep)
    return pooled, model.model.mm_projector(pooled)


def mask_features(model, f_deep, f_mid):
    """§4.3: out_mm_projector on both scales (shared weights, full 32x32 grid, padding included).
    Returns (projected [2,1024,D], Fm [2,D,32,32]); scale 0 is the deep layer."""
    proj = model.model.out_mm_projector
    s = torch.stack([proj(f_deep)[0], proj(f_mid)[0]], dim=0)                  # [2,1024,D]
    fm = s.permute(0, 2, 1).reshape(2, s.shape[-1], GRID, GRID)         # [2,D,32,32]
    return s, fm

