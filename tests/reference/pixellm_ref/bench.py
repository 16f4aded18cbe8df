"""Timings of the reference's stages, in the keys `pixellm bench --json` prints, for side-by-side ratios.

    /usr/bin/python3 -m pixellm_ref.bench --model DIR [--clip DIR] --threads N
        [--stage llm-prefill,llm-decode,vision,vision-bf16,pixel-decoder] [--pp 512] [--tg 128] [--prompt 16]
        [--runs 5] [--json]

Stages (shape in brackets):
  llm-prefill [ppN]      one forward of N tokens into an empty KV cache + lm_head of the last position
  llm-decode [tgM]       M single-token forwards with the KV cache after an untimed P-token prompt
  vision [448]           the CLIP tower on one 448x448 image (§3), feature selection included
  vision-bf16 [448]      the same in bf16 (weights and pixels cast), as the released model ran it
  pixel-decoder [n1]     prompt encoder, neck, both decoder levels and level fusion (§7, §8) for one object

The same xorshift32 token stream as the engine (src/PixelLM.Cli/Bench/BenchTokens.cs). One warm-up,
then the median of --runs. Threads are set explicitly (torch.set_num_threads): torch's default is
every core, which would not be the engine's count. The reference runs in f32 (design.md).
Each result: stage, shape, threads, median_ms, runs (+ tokens, tokens_per_s, peak_rss_mb).
"""
import argparse
import copy
import json
import resource
import statistics
import sys
import time

import numpy as np
import torch

from . import checkpoint
from .clip import select_features
from .config import GRID
from .image import preprocess
from .llama import KVCache, forward_llm
from .postprocess import fuse_levels

STAGES = ("llm-prefill", "llm-decode", "vision", "vision-bf16", "pixel-decoder")
DEFAULT_STAGES = ("llm-prefill", "llm-decode", "vision", "pixel-decoder")  # bf16 only on request


class TokenStream:
    """xorshift32 ids in [3, vocab): the engine's stream, so both sides feed the same tokens."""

    def __init__(self, vocab, seed=12345):
        self.vocab, self.state = vocab, seed

    def take(self, n):
        out = []
        for _ in range(n):
            s = self.state
            s ^= (s << 13) & 0xFFFFFFFF
            s ^= s >> 17
            s ^= (s << 5) & 0xFFFFFFFF
            self.state = s
            out.append(3 + s % (self.vocab - 3))
        return torch.tensor(out)


def _median_ms(runs, run):
    """One warm-up, then the median of `runs` calls; each call returns the milliseconds it timed."""
    run()
    return statistics.median(run() for _ in range(runs))


def _peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0   # KiB on Linux


def _llm_step(loaded, ids, cache):
    model = loaded.model
    hidden, cache = forward_llm(model.model, loaded.config, model.model.embed_tokens(ids)[None],
                                torch.ones(len(ids), dtype=torch.bool), cache)
    model.lm_head(hidden[:, -1])                    # the engine computes the last position's logits too
    return cache


def bench_prefill(loaded, tokens, n):
    def run():
        ids = tokens.take(n)
        start = time.perf_counter()
        _llm_step(loaded, ids, KVCache(loaded.config))
        return (time.perf_counter() - start) * 1000
    return run


def bench_decode(loaded, tokens, prompt, m):
    def run():
        cache = _llm_step(loaded, tokens.take(prompt), KVCache(loaded.config))
        steps = [tokens.take(1) for _ in range(m)]
        start = time.perf_counter()
        for ids in steps:
            cache = _llm_step(loaded, ids, cache)
        return (time.perf_counter() - start) * 1000
    return run


def bench_vision(loaded, dtype=torch.float32):
    """The tower in `dtype`: f32 (the reference), or bf16 as the released model ran it (weights and
    pixels cast, §12.3)."""
    rng = np.random.default_rng(0)
    pre = preprocess(rng.integers(0, 256, size=(448, 448, 3), dtype=np.uint8))
    clip = copy.deepcopy(loaded.clip).to(dtype)  # a copy: the f32 stage may run after this one
    pixels = pre.pixels.to(dtype)

    def run():
        start = time.perf_counter()
        hs = clip(pixels, pre.masks["clip_key"])
        select_features(hs, loaded.config.mm_vision_select_layer)
        return (time.perf_counter() - start) * 1000
    return run


def bench_pixel_decoder(loaded, objects=1):
    """The decoder's inputs are random at their real shapes: its cost does not depend on their values."""
    cfg, core = loaded.config, loaded.model.model
    gen = torch.Generator().manual_seed(0)
    queries = torch.randn(objects, 2, cfg.out_dim, generator=gen)                 # fused SEG queries [N,2,C]
    features = torch.randn(2, cfg.hidden_size, GRID, GRID, generator=gen)         # mask features [2,D,32,32]

    def run():
        start = time.perf_counter()
        sparse, dense = core.prompt_encoder(queries)
        pe = core.prompt_encoder.get_dense_pe()
        y = core.image_feature_neck(features)
        dec = core.mask_decoder
        l0 = dec(0, y[0:1], pe, sparse[:, 0:1], dense)
        l1 = dec(1, y[1:2], pe, sparse[:, 1:2], dense, previous_masks=l0.masks)
        fuse_levels([l0.masks, l1.masks])
        return (time.perf_counter() - start) * 1000
    return run


def run_stages(loaded, stages, threads, runs, pp=512, tg=128, prompt=16):
    """Yields one result dict per stage."""
    tokens = TokenStream(loaded.config.vocab_size)
    plan = {
        "llm-prefill": (f"pp{pp}", pp, lambda: bench_prefill(loaded, tokens, pp)),
        "llm-decode": (f"tg{tg}", tg, lambda: bench_decode(loaded, tokens, prompt, tg)),
        "vision": ("448", 0, lambda: bench_vision(loaded)),
        "vision-bf16": ("448", 0, lambda: bench_vision(loaded, torch.bfloat16)),
        "pixel-decoder": ("n1", 0, lambda: bench_pixel_decoder(loaded)),
    }
    for stage in stages:
        shape, n_tokens, make = plan[stage]
        with torch.inference_mode():
            ms = _median_ms(runs, make())
        result = {"stage": stage, "shape": shape, "threads": threads, "median_ms": round(ms, 4), "runs": runs}
        if n_tokens:
            result.update(tokens=n_tokens, tokens_per_s=round(n_tokens * 1000 / ms, 4))
        result["peak_rss_mb"] = round(_peak_rss_mb(), 4)
        yield result


def parse_stages(text):
    stages = [s for s in text.split(",") if s]
    unknown = [s for s in stages if s not in STAGES]
    if unknown or not stages:
        raise argparse.ArgumentTypeError(f"unknown stage(s) {unknown or text!r}; choose from {','.join(STAGES)}")
    return stages


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m pixellm_ref.bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True, help="PixelLM checkpoint directory")
    ap.add_argument("--clip", help="CLIP directory (default: resolved from the model's config)")
    ap.add_argument("--threads", type=int, required=True, help="torch threads (the engine's count)")
    ap.add_argument("--stage", type=parse_stages, default=list(DEFAULT_STAGES),
                    help="comma-separated stages (default: all but vision-bf16)")
    ap.add_argument("--pp", type=int, default=512)
    ap.add_argument("--tg", type=int, default=128)
    ap.add_argument("--prompt", type=int, default=16, help="untimed prompt before llm-decode")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="one JSON object per line")
    args = ap.parse_args(argv)
    if min(args.threads, args.pp, args.tg, args.prompt, args.runs) < 1:
        ap.error("--threads, --pp, --tg, --prompt and --runs must be at least 1")
    torch.set_num_threads(args.threads)
    loaded = checkpoint.load(args.model, args.clip)
    for r in run_stages(loaded, args.stage, args.threads, args.runs, args.pp, args.tg, args.prompt):
        if args.json:
            print(json.dumps(r), flush=True)
        else:
            rate = f"{r['tokens_per_s']:10.2f} tok/s" if "tokens_per_s" in r else ""
            print(f"{r['stage']:14} {r['shape']:7} {r['threads']:2} threads {r['median_ms']:10.2f} ms {rate}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
