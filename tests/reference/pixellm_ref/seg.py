"""SEG-state gathering with the 255-offset rule and the codebook fusion (§6.4)."""
from dataclasses import dataclass

import torch

from .config import SEG_OFFSET

ORIGINAL = "original"          # §6.4 step 2: K % 6 != 0 drops every mask
COMPLETE_GROUPS = "complete"   # §15.4 product rule: keep complete groups, report the rest


def seg_mask(sequence, seg_ids):
    """§6.4, literally: m = [0]*255 ++ [s[1:] in SEG], length T+254, where `sequence` is the
    returned `sequences` (prompt ids with the single -200, then the generated ids).
    m[p] = [s[p-254] in SEG] for p >= 255: after the image, the state of token t is selected
    whenever token t+1 is a SEG id (the state that predicts the SEG token)."""
    s = torch.tensor(sequence, dtype=torch.long)                         # [T]
    hit = torch.isin(s[1:], torch.tensor(seg_ids, dtype=torch.long))     # [T-1]
    return torch.cat([torch.zeros(SEG_OFFSET, dtype=torch.bool), hit])   # [T+254]


@dataclass
class SegGroups:
    positions: torch.Tensor    # [K] positions p of the selected hidden states, sequence order
    kept: int                  # states kept, a multiple of seg_token_num * scale_num
    incomplete: int            # states of a trailing incomplete group (reported, dropped)


def select_states(mask, seg_token_num, scale_num, rule=ORIGINAL):
    """Which of the K selected states survive (§6.4 step 2, or §15.4 with rule=COMPLETE_GROUPS)."""
    positions = torch.nonzero(mask).flatten()                            # [K]
    group = seg_token_num * scale_num
    k = positions.numel()
    if rule == ORIGINAL:
        kept = k if k % group == 0 else 0
    elif rule == COMPLETE_GROUPS:
        kept = k - k % group
    else:
        raise ValueError(f"unknown SEG rule {rule!r}")
    return SegGroups(positions=positions, kept=kept, incomplete=k % group)


def fuse(e, seg_token_num, scale_num):
    """§6.4 steps 3-4. e [K,C] (text_hidden_fcs outputs of the kept states, K = 6N) ->
    Q [N,scale,C]. E[n,s,j] = e[6n+3s+j]; Q = (((0*E0) + a*E0) + a*E1) + a*E2 with
    a = fp32(1/seg_token_num), evaluated in that order."""
    n = e.shape[0] // (seg_token_num * scale_num)
    grouped = e.view(n, scale_num, seg_token_num, e.shape[-1])          # [N,2,3,C]
    alpha = torch.ones([]) * (1 / seg_token_num)                         # fp32 1/3 = 0.3333333433
    q = grouped[:, :, 0] * 0                                             # [N,2,C]
    for j in range(seg_token_num):
        q = q + alpha * grouped[:, :, j]
    return q
