"""COCO run-length encoding in the compressed string form (an independent implementation of the format
pycocotools documents in maskApi.c; pycocotools itself is not packaged for Debian 12).

    /usr/bin/python3 -m pixellm_ref.coco_rle REQUEST.json RESPONSE.json

REQUEST: [{"height": H, "width": W, "counts": "..."}, ...]; RESPONSE: per entry {"mask": rows of 0/1 (row-major,
[H][W])} decoded, and {"counts": ...} of that mask re-encoded with numpy, so a caller checks both directions.
"""
import json
import sys

import numpy as np


def runs(mask):
    """Column-major runs of a [H,W] 0/1 array, starting with a (possibly empty) run of zeros."""
    flat = np.asarray(mask, dtype=np.uint8).flatten(order="F")
    change = np.flatnonzero(np.diff(flat)) + 1
    edges = np.concatenate([[0], change, [flat.size]])
    lengths = np.diff(edges).tolist()
    return ([0] + lengths) if flat.size and flat[0] == 1 else lengths


def to_string(counts):
    out = []
    for i, count in enumerate(counts):
        x = count - counts[i - 2] if i > 2 else count
        while True:
            group = x & 0x1F
            x >>= 5                                     # Python's >> is arithmetic, as the C code's on long
            more = x != -1 if group & 0x10 else x != 0
            out.append(chr(group + (0x20 if more else 0) + 48))
            if not more:
                break
    return "".join(out)


def from_string(text):
    counts, p = [], 0
    while p < len(text):
        x, shift = 0, 0
        while True:
            c = ord(text[p]) - 48
            x |= (c & 0x1F) << shift
            p, shift = p + 1, shift + 5
            if not c & 0x20:
                if c & 0x10:
                    x -= 1 << shift                     # sign-extend from the last group
                break
        if len(counts) > 2:
            x += counts[-2]
        counts.append(x)
    return counts


def decode(text, height, width):
    flat = np.zeros(height * width, dtype=np.uint8)
    position, value = 0, 0
    for count in from_string(text):
        flat[position:position + count] = value
        position, value = position + count, 1 - value
    if position != height * width:
        raise ValueError(f"counts cover {position} pixels, not {height * width}")
    return flat.reshape((height, width), order="F")


def main(argv):
    with open(argv[1]) as f:
        request = json.load(f)
    response = []
    for entry in request:
        mask = decode(entry["counts"], entry["height"], entry["width"])
        response.append({"mask": mask.tolist(), "counts": to_string(runs(mask))})
    with open(argv[2], "w") as f:
        json.dump(response, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
