"""MaskDecoderMultiScale (§8.1, §8.4): two levels, each with its own TwoWayTransformer; level 1
works at 64x64 on the 2x-upsampled features modulated by sigma(level-0 logits).

transformer_dim C = config out_dim (256 in the release). Generalisations for narrower test
models, identical at C = 256: the upscaling width is C/8 (32), pe1 has C/2 features (128), the
iou head hidden width is C (256), and the sigma modulation broadcasts over the C channels (the
release's repeat of 256 channels, §13.12).
"""
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from .config import NUM_MASK_TOKENS
from .layers import MLP, LayerNorm2d
from .prompt_encoder import PositionEmbeddingRandom
from .two_way import TwoWayTransformer


@dataclass
class LevelOutput:
    masks: torch.Tensor        # [N,1,2h,2w] mask index 0 (multimask_output=False)
    all_masks: torch.Tensor    # [N,4,2h,2w] every hypernetwork mask (1..3 are discarded)
    iou: torch.Tensor          # [N,4] discarded by the caller (§10.4)
    src: torch.Tensor          # [N,C,h,w] decoder input after conditioning and + dense
    tokens: torch.Tensor       # [N,6,C] T0 (with the level embedding)
    queries: torch.Tensor      # [N,6,C] transformer token outputs Qy
    keys: torch.Tensor         # [N,hw,C] transformer image outputs K


class MaskDecoderMultiScale(nn.Module):
    def __init__(self, dim, mlp_dim, scale_num=2):
        super().__init__()
        self.transformer = nn.ModuleList(TwoWayTransformer(dim, mlp_dim) for _ in range(scale_num))
        self.iou_token = nn.Embedding(1, dim)
        self.mask_tokens = nn.Embedding(NUM_MASK_TOKENS, dim)
        self.output_upscaling = nn.Sequential(nn.ConvTranspose2d(dim, dim // 8, 2, 2), LayerNorm2d(dim // 8), nn.GELU())
        self.upsample_2x = nn.Sequential(nn.ConvTranspose2d(dim, dim, 2, 2), LayerNorm2d(dim), nn.GELU())
        self.pe1 = PositionEmbeddingRandom(dim // 2)
        self.output_hypernetworks_mlps = nn.ModuleList(MLP(dim, dim, dim // 8, 3) for _ in range(NUM_MASK_TOKENS))
        self.iou_prediction_head = MLP(dim, dim, NUM_MASK_TOKENS, 3)
        self.level_embed = nn.Embedding(scale_num, dim)

    def forward(self, level, image_embedding, image_pe, sparse, dense, previous_masks=None):
        """§8.4 for level `level`. image_embedding Y[level] [1,C,32,32]; image_pe PE32 [1,C,32,32]
        (ignored at level 1, which uses pe1 at 64x64); sparse [N,1,C]; dense [N,C,32,32];
        previous_masks: the raw level-0 masks m0 [N,1,64,64] (level 1 only)."""
        n = sparse.shape[0]
        out_tokens = torch.cat([self.iou_token.weight, self.mask_tokens.weight], dim=0)    # [5,C]
        tokens = torch.cat([out_tokens[None].expand(n, -1, -1), sparse], dim=1)           # [N,6,C]
        tokens = tokens + self.level_embed.weight[level]                                  # all six tokens
        src = image_embedding.repeat_interleave(n, dim=0)                                 # [N,C,32,32]
        if level > 0:
            src = self.upsample_2x(src)                                                   # [N,C,64,64]
            h, w = src.shape[-2:]
            gate = torch.mean(previous_masks, dim=1)[:, None]                             # [N,1,64,64]
            src = (torch.sigmoid(gate) + 1) * src                                         # over C channels
            image_pe = self.pe1(h)[None]                                                  # [1,C,64,64]
            dense = F.interpolate(dense, size=(h, w), mode="bilinear", align_corners=False)  # [N,C,64,64]
        src = src + dense
        pos = image_pe.repeat_interleave(n, dim=0)                                        # [N,C,h,w]
        b, c, h, w = src.shape
        queries, keys = self.transformer[level](src, pos, tokens)                         # [N,6,C], [N,hw,C]
        up = self.output_upscaling(keys.transpose(1, 2).reshape(b, c, h, w))              # [N,C/8,2h,2w]
        hyper = torch.stack([mlp(queries[:, 1 + i]) for i, mlp in enumerate(self.output_hypernetworks_mlps)],
                            dim=1)                                                        # [N,4,C/8]
        masks = (hyper @ up.flatten(2)).view(b, NUM_MASK_TOKENS, 2 * h, 2 * w)            # [N,4,2h,2w]
        iou = self.iou_prediction_head(queries[:, 0])                                     # [N,4]
        return LevelOutput(masks=masks[:, 0:1], all_masks=masks, iou=iou, src=src, tokens=tokens,
                           queries=queries, keys=keys)
