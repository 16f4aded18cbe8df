"""Write items of a split to a directory, so that the engine (`pixellm eval --data DIR`) scores
exactly the items the reference's eval.py scores.

    /usr/bin/python3 -m pixellm_ref.synth.export --split test [--seed 0] --n 200 --out DIR [--force]

Layout (format "pixellm-shapes-eval/1"):

    DIR/items.json
    DIR/images/00000.png              RGB, 224x224, 8 bit
    DIR/masks/00000_0.png             one per target: greyscale 8 bit, 255 = object, 0 = not
    ...

items.json:
    {"format": "pixellm-shapes-eval/1", "split": "test", "seed": 0, "n": 200,
     "metrics": "gIoU/cIoU single (1 target) and multi (>= 2 targets) with MUSE matching,
                 exact match of answer_text; see pixellm_ref/seg_metrics.py",
     "items": [{"index": 0, "image": "images/00000.png", "kind": "refer",
                "question": "Segment the small red triangle.",
                "answer": "Sure, it is the small red triangle [SEG0][SEG1][SEG2][SEG3][SEG4][SEG5].",
                "answer_text": "Sure, it is the small red triangle.",
                "targets": [{"name": "small red triangle", "mask": "masks/00000_0.png"}]}, ...]}

`answer_text` is the answer with codebook tokens removed and whitespace normalised
(seg_metrics.answer_text): the engine's answer, normalised the same way, must equal it for exact
match. Targets are listed in answer order; a question without targets has "targets": [].
"""
import argparse
import json
import os
import shutil
import sys

import numpy as np
from PIL import Image

from ..seg_metrics import answer_text
from .dataset import SPLIT_IDS, make_item

FORMAT = "pixellm-shapes-eval/1"


def export(split, seed, n, out, force=False):
    if os.path.exists(out) and os.listdir(out) and not force:
        raise ValueError(f"output directory {out} exists and is not empty (use --force to replace it)")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "images"))
    os.makedirs(os.path.join(out, "masks"))
    records = []
    for i in range(n):
        item = make_item(split, seed, i)
        image = f"images/{i:05d}.png"
        Image.fromarray(item.image, "RGB").save(os.path.join(out, image))
        targets = []
        for k, (name, mask) in enumerate(zip(item.names, item.masks)):
            path = f"masks/{i:05d}_{k}.png"
            Image.fromarray(mask.astype(np.uint8) * 255, "L").save(os.path.join(out, path))
            targets.append({"name": name, "mask": path})
        records.append({"index": i, "image": image, "kind": item.kind, "question": item.question,
                        "answer": item.answer, "answer_text": answer_text(item.answer), "targets": targets})
    doc = {"format": FORMAT, "split": split, "seed": seed, "n": n,
           "metrics": "gIoU/cIoU single (1 target) and multi (>= 2 targets) with MUSE matching, exact match "
                      "of answer_text; see pixellm_ref/seg_metrics.py",
           "items": records}
    with open(os.path.join(out, "items.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m pixellm_ref.synth.export", description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=sorted(SPLIT_IDS), default="test")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--out", required=True)
    ap.add_argument("--force", action="store_true")
    args = ap.parse_args(argv)
    try:
        export(args.split, args.seed, args.n, args.out, args.force)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"wrote {args.n} {args.split} items to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
