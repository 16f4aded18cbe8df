"""SAM TwoWayTransformer (§8.2, §8.3): depth 2, 8 heads, ReLU MLP, cross-attention downsample 2."""
from torch import nn
import torch

from .config import ATTN_DOWNSAMPLE, DECODER_HEADS


class Attention(nn.Module):
    """q/k/v Linear(C -> C/r) with bias, 8 heads, softmax(q k^T / sqrt(C/r/8)) v, out_proj (§8.2)."""

    def __init__(self, dim, downsample=1):
        super().__init__()
        inner = dim // downsample
        self.heads = DECODER_HEADS
        self.q_proj, self.k_proj, self.v_proj = nn.Linear(dim, inner), nn.Linear(dim, inner), nn.Linear(dim, inner)
        self.out_proj = nn.Linear(inner, dim)

    def _split(self, x):
        b, n, c = x.shape
        return x.reshape(b, n, self.heads, c // self.heads).transpose(1, 2)  # [B,h,n,c/h]

    def forward(self, q, k, v):
        q, k, v = self._split(self.q_proj(q)), self._split(self.k_proj(k)), self._split(self.v_proj(v))
        attn = torch.softmax(q @ k.transpose(-1, -2) / (q.shape[-1] ** 0.5), dim=-1)  # [B,h,nq,nk]
        out = (attn @ v).transpose(1, 2)                                            # [B,nq,h,c/h]
        return self.out_proj(out.reshape(out.shape[0], out.shape[1], -1))          # [B,nq,C]


class MLPBlock(nn.Module):
    def __init__(self, dim, mlp_dim):
        super().__init__()
        self.lin1, self.lin2 = nn.Linear(dim, mlp_dim), nn.Linear(mlp_dim, dim)

    def forward(self, x):
        return self.lin2(torch.relu(self.lin1(x)))


class TwoWayAttentionBlock(nn.Module):
    def __init__(self, dim, mlp_dim, skip_first_layer_pe):
        super().__init__()
        self.self_attn = Attention(dim)
        self.norm1 = nn.LayerNorm(dim)
        self.cross_attn_token_to_image = Attention(dim, ATTN_DOWNSAMPLE)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = MLPBlock(dim, mlp_dim)
        self.norm3 = nn.LayerNorm(dim)
        self.norm4 = nn.LayerNorm(dim)
        self.cross_attn_image_to_token = Attention(dim, ATTN_DOWNSAMPLE)
        self.skip_first_layer_pe = skip_first_layer_pe

    def forward(self, queries, keys, query_pe, key_pe):
        """queries [B,6,C], keys [B,hw,C]; query_pe = T0, key_pe = image PE."""
        if self.skip_first_layer_pe:
            queries = self.norm1(self.self_attn(queries, queries, queries))   # no residual, no PE
        else:
            q = queries + query_pe
            queries = self.norm1(queries + self.self_attn(q, q, queries))
        q, k = queries + query_pe, keys + key_pe
        queries = self.norm2(queries + self.cross_attn_token_to_image(q, k, keys))
        queries = self.norm3(queries + self.mlp(queries))
        q, k = queries + query_pe, keys + key_pe
        keys = self.norm4(keys + self.cross_attn_image_to_token(k, q, queries))
        return queries, keys


class TwoWayTransformer(nn.Module):
    def __init__(self, dim, mlp_dim, depth=2):
        super().__init__()
        self.layers = nn.ModuleList(TwoWayAttentionBlock(dim, mlp_dim, i == 0) for i in range(depth))
        self.final_attn_token_to_image = Attention(dim, ATTN_DOWNSAMPLE)
        self.norm_final_attn = nn.LayerNorm(dim)

    def forward(self, src, pos, tokens):
        """§8.3. src, pos [B,C,h,w]; tokens T0 [B,6,C] -> (Qy [B,6,C], K [B,hw,C])."""
        keys = src.flatten(2).permute(0, 2, 1)         # [B,hw,C]
        key_pe = pos.flatten(2).permute(0, 2, 1)       # [B,hw,C]
        queries = tokens
        for layer in self.layers:
            queries, keys = layer(queries, keys, tokens, key_pe)
        q, k = queries + tokens, keys + key_pe
        queries = self.norm_final_attn(queries + self.final_attn_token_to_image(q, k, keys))
        return queries, keys
