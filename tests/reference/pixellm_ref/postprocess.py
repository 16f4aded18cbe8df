"""Cross-scale fusion (§8.5) and mask post-processing (§9), all in f32."""
import torch
import torch.nn.functional as F

from .config import LOWRES_OUT


def _bilinear(x, size):
    return F.interpolate(x, size=size, mode="bilinear", align_corners=False)


def fuse_levels(level_masks):
    """§8.5: M = 0 + 0.5*bilinear(m0 -> 128) + 0.5*bilinear(m1 -> 128) (the second resize is the
    identity). level_masks: [m0 [N,1,64,64], m1 [N,1,128,128]] -> M [N,1,128,128]."""
    scalar = torch.ones([]) * (1 / len(level_masks))                     # fp32 0.5 (multiscale_scalar)
    n = level_masks[0].shape[0]
    fused = torch.zeros(n, 1, LOWRES_OUT, LOWRES_OUT)
    for m in level_masks:
        fused = fused + scalar * _bilinear(m, (LOWRES_OUT, LOWRES_OUT))
    return fused


def postprocess(fused, input_size, original_size):
    """§9.1: bilinear to max(h',w') = 448, crop [:h', :w'], bilinear to (H,W).
    fused [N,1,128,128] -> logits [N,H,W]."""
    target = max(input_size)
    r1 = _bilinear(fused, (target, target))                             # [N,1,448,448]
    r2 = r1[..., :input_size[0], :input_size[1]]                        # [N,1,h',w']
    return _bilinear(r2, tuple(original_size))[:, 0]                    # [N,H,W]


def binarize(logits):
    """§9.2: mask = logits > 0."""
    return logits > 0


def mask_scores(logits):
    """§9.2: sum(sigma(l) * [l>0]) / (sum([l>0]) + 1e-6) per mask. logits [N,H,W] -> [N]."""
    on = (logits > 0).flatten(1)                                         # [N,HW]
    return (logits.sigmoid().flatten(1) * on).sum(1) / (on.sum(1) + 1e-6)
