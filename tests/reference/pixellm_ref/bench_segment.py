"""End-to-end latency of the reference split by stage, in the keys `pixellm bench segment --json`
prints, for per-stage ratios.

    /usr/bin/python3 -m pixellm_ref.bench_segment --model DIR [--clip DIR] --image PATH --threads N
        [--question TEXT] [--gen 20] [--targets 1] [--runs 3] [--json]

Stages, in pipeline order (§1):
  decode         the image file to RGB (Pillow, EXIF applied)
  preprocess     resize longest side to 448, normalise, pad (§2.2)
  vision         CLIP tower, both projectors and the mask-feature neck (§3, §4, §7.3)
  prefill        the prompt with the 256 image tokens spliced in, KV cache filled, last logits (§5, §6)
  generation     --gen single-token steps with the KV cache, each with its logits and argmax; the
                 tokens fed back are a fixed xorshift32 stream (the engine's), so both sides run the
                 same number of steps whatever a random model would choose (§6.2)
  pixel-decoder  codebook MLP, fusion, prompt encoder and both decoder levels for --targets objects
                 from random hidden states at their real shape (§6.4, §7, §8)
  postprocess    level fusion, resize to the original size, threshold and scores (§8.5, §9)
The reference keeps a KV cache here (pipeline.segment(use_cache=True)), which the original code does
not (§6.2): the comparison is against a fair, cached PyTorch implementation. One warm-up run, then the
median of --runs per stage. Each result: stage, threads, median_ms, runs (+ tokens for generation).
"""
import argparse
import json
import statistics
import sys
import time

import torch

from . import checkpoint
from .bench import TokenStream
from .clip import select_features
from .generate import splice
from .image import decode_image, preprocess
from .llama import forward_llm
from .postprocess import binarize, fuse_levels, mask_scores, postprocess
from .projectors import image_tokens, mask_features
from .seg import fuse

STAGES = ("decode", "preprocess", "vision", "prefill", "generation", "pixel-decoder", "postprocess")


def run_once(loaded, image_path, question, gen, targets, tokens):
    """One end-to-end pass; returns {stage: milliseconds}."""
    model, cfg, tok = loaded.model, loaded.config, loaded.tokenizer
    core = model.model
    ms = {}

    def timed(stage, fn):
        start = time.perf_counter()
        out = fn()
        ms[stage] = (time.perf_counter() - start) * 1000
        return out

    rgb = timed("decode", lambda: decode_image(image_path))
    pre = timed("preprocess", lambda: preprocess(rgb))

    def vision():
        hs = loaded.clip(pre.pixels, pre.masks["clip_key"])
        f_deep, f_mid = select_features(hs, cfg.mm_vision_select_layer)
        _, llm_tokens = image_tokens(model, f_deep)
        _, fm = mask_features(model, f_deep, f_mid)
        return llm_tokens, core.image_feature_neck(fm)
    llm_tokens, neck = timed("vision", vision)

    ids = tok.build_prompt_ids(question)

    def prefill():
        embeds, key_valid = splice(model, ids, llm_tokens, pre.masks["token"])
        hidden, cache = forward_llm(core, cfg, embeds, key_valid)
        torch.argmax(model.lm_head(hidden[0, -1]))
        return cache
    cache = timed("prefill", prefill)

    steps = tokens.take(gen)

    def generation():
        nonlocal cache
        one = torch.ones(1, dtype=torch.bool)
        for t in steps:
            hidden, cache = forward_llm(core, cfg, core.embed_tokens(t.view(1))[None], one, cache)
            torch.argmax(model.lm_head(hidden[0, -1]))
    timed("generation", generation)

    states = torch.randn(6 * targets, cfg.hidden_size, generator=torch.Generator().manual_seed(0))

    def pixel_decoder():
        q = fuse(core.text_hidden_fcs[0](states), cfg.seg_token_num, cfg.image_feature_scale_num)
        sparse, dense = core.prompt_encoder(q)
        pe = core.prompt_encoder.get_dense_pe()
        dec = core.mask_decoder
        l0 = dec(0, neck[0:1], pe, sparse[:, 0:1], dense)
        l1 = dec(1, neck[1:2], pe, sparse[:, 1:2], dense, previous_masks=l0.masks)
        return l0.masks, l1.masks
    levels = timed("pixel-decoder", pixel_decoder)

    def post():
        logits = postprocess(fuse_levels(list(levels)), pre.input_size, pre.original_size)
        binarize(logits)
        mask_scores(logits)
    timed("postprocess", post)
    return ms


def bench(loaded, image_path, question, threads, gen=20, targets=1, runs=3):
    tokens = TokenStream(loaded.config.vocab_size)
    with torch.inference_mode():
        run_once(loaded, image_path, question, gen, targets, tokens)   # warm-up
        passes = [run_once(loaded, image_path, question, gen, targets, tokens) for _ in range(runs)]
    for stage in STAGES:
        result = {"stage": stage, "threads": threads, "median_ms": round(statistics.median(p[stage] for p in passes), 4),
                  "runs": runs}
        if stage == "generation":
            result["tokens"] = gen
        if stage == "pixel-decoder":
            result["targets"] = targets
        yield result
    yield {"stage": "total", "threads": threads, "runs": runs,
           "median_ms": round(statistics.median(sum(p.values()) for p in passes), 4)}


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m pixellm_ref.bench_segment", description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True, help="PixelLM checkpoint directory")
    ap.add_argument("--clip", help="CLIP directory (default: resolved from the model's config)")
    ap.add_argument("--image", required=True)
    ap.add_argument("--question", default="Which objects in this picture could hold water?")
    ap.add_argument("--threads", type=int, required=True, help="torch threads (the engine's count)")
    ap.add_argument("--gen", type=int, default=20, help="generated tokens")
    ap.add_argument("--targets", type=int, default=1, help="objects for the pixel decoder")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", action="store_true", help="one JSON object per line")
    args = ap.parse_args(argv)
    if min(args.threads, args.gen, args.targets, args.runs) < 1:
        ap.error("--threads, --gen, --targets and --runs must be at least 1")
    torch.set_num_threads(args.threads)
    loaded = checkpoint.load(args.model, args.clip)
    for r in bench(loaded, args.image, args.question, args.threads, args.gen, args.targets, args.runs):
        print(json.dumps(r) if args.json else f"{r['stage']:14} {r['threads']:2} threads {r['median_ms']:10.2f} ms", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
