"""Evaluate a PixelLM checkpoint on the synthetic shapes task, as the papers do.

    /usr/bin/python3 -m pixellm_ref.eval --model DIR [--clip DIR] [--data test/0/200] [--json]
        [--max-new-tokens N] [--threads T] [--per-item FILE]

--model is a checkpoint directory holding pixellm/ (and clip-vit/, unless --clip is given), or
the pixellm/ directory itself. --data SPLIT/SEED/N evaluates items 0..N-1 of that split
(synth/dataset.py). Each item runs the reference pipeline end to end, greedy (pipeline.segment):
image -> answer text -> masks at the original size. Metrics (seg_metrics.py): gIoU / cIoU for
single- and multi-target questions (MUSE matching), exact match of the answer with codebook tokens
removed, and the share of no-target questions answered with no mask. Prints a table, or with
--json one JSON object (gIoU_single, cIoU_single, gIoU_multi, cIoU_multi, exact_match, n, ...).
"""
import argparse
import json
import os
import sys
import time

import torch

from . import checkpoint
from .pipeline import segment
from .seg_metrics import Scores, answer_text
from .synth.dataset import SPLIT_IDS, make_item


def parse_data(spec):
    parts = spec.split("/")
    if len(parts) != 3 or parts[0] not in SPLIT_IDS or not parts[1].isdigit() or not parts[2].isdigit():
        raise ValueError(f"--data {spec!r}: expected SPLIT/SEED/N with SPLIT one of {sorted(SPLIT_IDS)}")
    return parts[0], int(parts[1]), int(parts[2])


def resolve_dirs(model, clip):
    model_dir = os.path.join(model, "pixellm") if os.path.isdir(os.path.join(model, "pixellm")) else model
    if clip is None and os.path.isdir(os.path.join(os.path.dirname(os.path.abspath(model_dir)), "clip-vit")):
        clip = os.path.join(os.path.dirname(os.path.abspath(model_dir)), "clip-vit")
    return model_dir, clip


def evaluate(loaded, split, seed, n, max_new_tokens=128, per_item=None):
    scores = Scores()
    for i in range(n):
        item = make_item(split, seed, i)
        res = segment(loaded, item.image, item.question, max_new_tokens=max_new_tokens)
        masks = res.masks.numpy()
        iou = scores.add(res.text, item.answer, masks, item.masks)
        if per_item is not None:
            per_item.write(json.dumps({"index": i, "kind": item.kind, "question": item.question,
                                       "expected": answer_text(item.answer), "predicted": answer_text(res.text),
                                       "targets": len(item.masks), "masks": int(masks.shape[0]),
                                       "iou": iou}) + "\n")
    return scores.table()


def format_table(t):
    rows = [("single target", "gIoU_single", "cIoU_single", "n_single"),
            ("multi target", "gIoU_multi", "cIoU_multi", "n_multi")]
    lines = [f"{'':16}{'gIoU':>8}{'cIoU':>8}{'n':>6}"]
    lines += [f"{name:16}{t[g]:8.3f}{t[c]:8.3f}{t[k]:6d}" for name, g, c, k in rows]
    lines.append(f"{'exact match':16}{t['exact_match']:8.3f}{'':8}{t['n']:6d}")
    lines.append(f"{'no-target ok':16}{t['empty_accuracy']:8.3f}{'':8}{t['n_empty']:6d}")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m pixellm_ref.eval", description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--clip")
    ap.add_argument("--data", default="test/0/200", help="SPLIT/SEED/N (default test/0/200)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    ap.add_argument("--max-new-tokens", type=int, default=128)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--per-item", help="write one JSON line per item to this file")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    try:
        split, seed, n = parse_data(args.data)
        model_dir, clip_dir = resolve_dirs(args.model, args.clip)
        loaded = checkpoint.load(model_dir, clip_dir)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    t0 = time.time()
    if args.per_item:
        with open(args.per_item, "w") as f:
            table = evaluate(loaded, split, seed, n, args.max_new_tokens, f)
    else:
        table = evaluate(loaded, split, seed, n, args.max_new_tokens)
    table["data"], table["seconds"] = args.data, round(time.time() - t0, 1)
    print(json.dumps(table, sort_keys=True) if args.json else format_table(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
