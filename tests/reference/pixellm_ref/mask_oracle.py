"""The reference's mask post-processing (§8.5, §9) on inputs a test supplies, for parity over more
geometries than the fixtures carry.

    /usr/bin/python3 -m pixellm_ref.mask_oracle REQUEST.json

REQUEST: {"count": N, "input_size": [h', w'], "original_size": [H, W], "level0": PATH, "level1": PATH,
"logits": PATH, "scores": PATH}. level0 / level1 hold raw little-endian f32 [N,64,64] / [N,128,128]; the
oracle writes the logits [N,H,W] and the scores [N] the same way. Level 0 enters as the decoder hands it
over, the view masks[:, 0:1] of [N,4,64,64], so torch picks the kernels it picks in the pipeline.
"""
import json
import sys

import numpy as np
import torch

from .postprocess import fuse_levels, mask_scores, postprocess


def main(argv):
    torch.set_num_threads(1)
    with open(argv[1]) as f:
        request = json.load(f)
    n = request["count"]
    level0 = torch.from_numpy(np.fromfile(request["level0"], dtype="<f4").reshape(n, 1, 64, 64))
    level1 = torch.from_numpy(np.fromfile(request["level1"], dtype="<f4").reshape(n, 1, 128, 128))
    level0 = level0.repeat(1, 4, 1, 1)[:, 0:1]                                   # [N,1,64,64] view of [N,4,64,64]
    logits = postprocess(fuse_levels([level0, level1]), tuple(request["input_size"]), tuple(request["original_size"]))
    logits.numpy().astype("<f4").tofile(request["logits"])
    mask_scores(logits).numpy().astype("<f4").tofile(request["scores"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
