"""A fixed, hand-set CLIP vision tower for the shapes model (train.py).

Same architecture and checkpoint layout as any CLIP tower (§3); the engine runs all of it. Only
the weights are chosen instead of trained, because training a 12-layer ViT over 1025 tokens per
image does not fit the CPU budget and a readable fixed encoder serves the shapes task well:

* patch_embedding: channel 3*(4i+j)+k is the mean of colour channel k over sub-cell (i,j) of a
  4x4 grid of 3.5x3.5-pixel cells inside the 14x14 patch (fractional weights on the cell borders),
  so the features keep colour at the resolution of the 128x128 low-res masks (448 / 128 = 3.5);
* position_embedding: channels 48..55 a constant +-OFFSET (keeps the per-token LayerNorm scale
  nearly constant, so colours stay comparable between tokens), channels 56..63 sin/cos of the
  patch's x and y at two frequencies; the §3.2 stretch is applied to this table like any other;
* every encoder layer's residual branches end in zero (attention out_proj and fc2 weights and
  biases = 0), so each layer is exactly the identity and hs[k] = pre_layrnorm(embeddings) for all
  k: F_deep = F_mid. `features()` computes that directly; `check_identity()` proves it on an image.
"""
import math

import torch

from .clip import ClipVisionModel, select_features
from .config import MID_LAYER

WIDTH = 64                      # 48 colour-cell channels + 8 offset + 8 position channels
CELLS = 4                       # 4x4 cells per 14-px patch
OFFSET = 8.0


def clip_vision_overrides():
    """The CLIP vision config values of the fixed tower (image_size 336 keeps CLIP-L/336's 24x24 table)."""
    return {"hidden_size": WIDTH, "intermediate_size": 4 * WIDTH, "num_attention_heads": 4,
            "num_hidden_layers": 12, "image_size": 336}


def _cell_weights(patch):
    """[CELLS, patch] overlap of pixel p with cell i (cells of patch/CELLS pixels), normalised per cell."""
    edges = [patch * i / CELLS for i in range(CELLS + 1)]
    w = torch.zeros(CELLS, patch)
    for i in range(CELLS):
        for p in range(patch):
            w[i, p] = max(0.0, min(p + 1, edges[i + 1]) - max(p, edges[i]))
    return w / w.sum(1, keepdim=True)


def fixed_state(clip):
    """Overwrite `clip`'s parameters (a ClipVisionModel, random elsewhere) with the fixed tower."""
    vm, cfg = clip.vision_model, clip.config
    assert cfg.hidden_size == WIDTH
    with torch.no_grad():
        cw = _cell_weights(cfg.patch_size)                                 # [4,14]
        conv = torch.zeros(WIDTH, 3, cfg.patch_size, cfg.patch_size)       # [C,3,14,14]
        for i in range(CELLS):
            for j in range(CELLS):
                for k in range(3):
                    conv[3 * (CELLS * i + j) + k, k] = cw[i][:, None] * cw[j][None, :]
        vm.embeddings.patch_embedding.weight.copy_(conv)
        g = cfg.orig_grid
        table = torch.zeros(g * g + 1, WIDTH)                               # row 0 = CLS
        table[:, 48:56] = OFFSET * torch.tensor([1.0, -1.0] * 4)
        r, c = torch.div(torch.arange(g * g), g, rounding_mode="floor"), torch.arange(g * g) % g
        u, v = (c.float() + 0.5) / g, (r.float() + 0.5) / g                  # [g*g] in (0,1)
        for f, freq in enumerate((1.0, 2.0)):
            table[1:, 56 + 4 * f:60 + 4 * f] = torch.stack(
                [torch.sin(math.pi * freq * u), torch.cos(math.pi * freq * u),
                 torch.sin(math.pi * freq * v), torch.cos(math.pi * freq * v)], dim=1)
        vm.embeddings.position_embedding.weight.copy_(table)
        vm.embeddings.class_embedding.zero_()
        for name in ("pre_layrnorm", "post_layernorm"):
            getattr(vm, name).weight.fill_(1.0)
            getattr(vm, name).bias.zero_()
        for layer in vm.encoder.layers:
            for lin in (layer.self_attn.out_proj, layer.mlp.fc2):
                lin.weight.zero_()
                lin.bias.zero_()
    return clip


def features(clip, pixels):
    """F_deep (= F_mid) [B,1024,C] of the fixed tower for pixels [B,3,448,448] with no padding
    (ClipEmbeddings takes one image at a time)."""
    vm = clip.vision_model
    return torch.cat([vm.pre_layrnorm(vm.embeddings(p[None]))[:, 1:] for p in pixels])


def check_identity(clip, pixels, key_mask, select_layer):
    """The full tower's F_deep and F_mid equal `features()` exactly (every layer is the identity)."""
    f_deep, f_mid = select_features(clip(pixels, key_mask), select_layer)
    short = features(clip, pixels)
    if not (torch.equal(f_deep, short) and torch.equal(f_mid, short)):
        raise AssertionError(f"the fixed tower is not the identity past its embeddings (hs[{select_layer}], "
                             f"hs[{MID_LAYER}])")
