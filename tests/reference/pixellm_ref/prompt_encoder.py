"""Prompt encoder with text prompts only (§7.2) and the random-Fourier positional encoding."""
import math

import torch
from torch import nn

from .config import GRID, MASK_IN_CHANS
from .layers import LayerNorm2d


class PositionEmbeddingRandom(nn.Module):
    """Random-Fourier PE. The gaussian matrix is checkpoint data (a buffer), never regenerated."""

    def __init__(self, num_pos_feats):
        super().__init__()
        self.register_buffer("positional_encoding_gaussian_matrix", torch.zeros(2, num_pos_feats))  # [2,F]

    def forward(self, size):
        """PE of a size x size grid -> [2F,size,size]: cell (r,c) has u = 2(c+0.5)/G - 1 (x first),
        v = 2(r+0.5)/G - 1, phi = 2pi (u,v) @ Gm; channels [sin phi, cos phi]."""
        centers = (torch.arange(size, dtype=torch.float32) + 0.5) / size      # [G]
        x = centers[None, :].expand(size, size)                               # [G,G] column coord
        y = centers[:, None].expand(size, size)                               # [G,G] row coord
        coords = 2 * torch.stack([x, y], dim=-1) - 1                          # [G,G,2]
        coords = coords @ self.positional_encoding_gaussian_matrix            # [G,G,F]
        coords = 2 * math.pi * coords
        return torch.cat([torch.sin(coords), torch.cos(coords)], dim=-1).permute(2, 0, 1)  # [2F,G,G]


class PromptEncoder(nn.Module):
    """SAM PromptEncoder(embed_dim, (32,32), (448,448), mask_in_chans=16). Point/box/mask
    sub-modules are loaded but unused (§10.4)."""

    def __init__(self, embed_dim):
        super().__init__()
        self.embed_dim = embed_dim
        self.pe_layer = PositionEmbeddingRandom(embed_dim // 2)
        self.point_embeddings = nn.ModuleList(nn.Embedding(1, embed_dim) for _ in range(4))
        self.not_a_point_embed = nn.Embedding(1, embed_dim)
        c4 = MASK_IN_CHANS // 4
        self.mask_downscaling = nn.Sequential(
            nn.Conv2d(1, c4, 2, 2), LayerNorm2d(c4), nn.GELU(),
            nn.Conv2d(c4, MASK_IN_CHANS, 2, 2), LayerNorm2d(MASK_IN_CHANS), nn.GELU(),
            nn.Conv2d(MASK_IN_CHANS, embed_dim, 1))
        self.no_mask_embed = nn.Embedding(1, embed_dim)

    def get_dense_pe(self):
        return self.pe_layer(GRID)[None]                                      # [1,C,32,32]

    def forward(self, text_embeds):
        """text_embeds Q [N,2,C] -> (sparse = Q unchanged [N,2,C],
        dense = no_mask_embed broadcast [N,C,32,32])."""
        n = text_embeds.shape[0]
        dense = self.no_mask_embed.weight.reshape(1, -1, 1, 1).expand(n, -1, GRID, GRID)
        return text_embeds, dense
