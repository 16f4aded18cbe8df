"""Timing of the reference's mask post-processing, in the keys `pixellm bench masks --json` prints.

    /usr/bin/python3 -m pixellm_ref.bench_masks [--count 8] [--width 4000] [--height 3000] [--threads 2]
        [--runs 5] [--json]

Times fuse_levels, postprocess, binarize and mask_scores (§8.5, §9.1, §9.2) from level-0 [N,1,64,64] and
level-1 [N,1,128,128] logits to binary masks and scores at H x W, on the engine's synthetic logits
(src/PixelLM.Cli/Bench/SyntheticMaskLogits.cs). The level-0 input is the decoder's view masks[:, 0:1] of
[N,4,64,64], as in the pipeline, so torch picks the same kernels as there. One warm-up, then the median.
"""
import argparse
import json
import resource
import statistics
import sys
import time

import numpy as np
import torch

from .image import resized_size
from .postprocess import binarize, fuse_levels, mask_scores, postprocess


def synthetic_logits(count, side):
    """[count, side, side]: 4 sin(0.9 (n+1) x / side + 0.3 n) + 3 cos(1.7 y / side (n+1) / 2), as the engine."""
    n = np.arange(count, dtype=np.float64)[:, None, None]
    y = np.arange(side, dtype=np.float64)[None, :, None]
    x = np.arange(side, dtype=np.float64)[None, None, :]
    v = 4 * np.sin(9.0 * (n + 1) * x / side + 0.3 * n) + 3 * np.cos(1.7 * y / side * (n + 1) / 2)
    return torch.from_numpy(v.astype(np.float32))


def run(count, width, height, runs):
    level0 = synthetic_logits(count, 64)[:, None].repeat(1, 4, 1, 1)[:, 0:1]    # [N,1,64,64] view, as decoded
    level1 = synthetic_logits(count, 128)[:, None]                                # [N,1,128,128]
    input_size = resized_size(height, width)

    def once():
        start = time.perf_counter()
        logits = postprocess(fuse_levels([level0, level1]), input_size, (height, width))
        binarize(logits)
        mask_scores(logits)
        return (time.perf_counter() - start) * 1000

    with torch.inference_mode():
        once()
        return statistics.median(once() for _ in range(runs))


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m pixellm_ref.bench_masks", description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=8)
    ap.add_argument("--width", type=int, default=4000)
    ap.add_argument("--height", type=int, default=3000)
    ap.add_argument("--threads", type=int, default=2, help="torch threads (the engine's count)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if min(args.count, args.width, args.height, args.threads, args.runs) < 1:
        ap.error("every option must be at least 1")
    torch.set_num_threads(args.threads)
    ms = run(args.count, args.width, args.height, args.runs)
    result = {"stage": "masks", "shape": f"n{args.count}-{args.width}x{args.height}", "threads": args.threads,
              "median_ms": round(ms, 4), "runs": args.runs,
              "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 4)}
    print(json.dumps(result) if args.json else
          f"{result['stage']} {result['shape']} {args.threads} threads {result['median_ms']:.2f} ms", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
