"""The reference's image decoding and CLIP preprocessing timed, in the keys `pixellm bench image --json`
prints, for side-by-side ratios (tools/bench_image.sh).

    /usr/bin/python3 -m pixellm_ref.bench_image --image PATH [--runs 5] [--json] [--dump OUT.safetensors]

Stages, shape WxH of the decoded image:
  image-decode             decode_image on the file's bytes (Pillow: open, EXIF transpose, to RGB array)
  image-preprocess         preprocess on the decoded array (Pillow BILINEAR resize, f32 normalise, pad)
  image-decode-preprocess  both
One warm-up, then the median of --runs; one thread (torch.set_num_threads(1); Pillow's resize is
single-threaded). --dump writes the tensors `pixellm preprocess` writes (image.rgb, image.resized,
image.pixels, mask.patch, mask.token), so the two sides' results can be compared byte for byte.
"""
import argparse
import json
import statistics
import time

import torch

from .image import decode_image, preprocess
from .safetensors_io import write_safetensors


def _median_ms(runs, run):
    run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def bench(path, runs):
    with open(path, "rb") as f:
        data = f.read()
    rgb = decode_image(data)
    shape = f"{rgb.shape[1]}x{rgb.shape[0]}"
    stages = [("image-decode", lambda: decode_image(data)),
              ("image-preprocess", lambda: preprocess(rgb)),
              ("image-decode-preprocess", lambda: preprocess(decode_image(data)))]
    return [{"stage": stage, "shape": shape, "threads": 1, "median_ms": round(_median_ms(runs, run), 4), "runs": runs}
            for stage, run in stages]


def dump(path, out):
    with open(path, "rb") as f:
        pre = preprocess(decode_image(f.read()))
    tensors = {"image.rgb": torch.from_numpy(pre.rgb.copy()), "image.resized": torch.from_numpy(pre.resized.copy()),
               "image.pixels": pre.pixels, "mask.patch": pre.masks["patch"].to(torch.uint8),
               "mask.token": pre.masks["token"].to(torch.uint8)}
    write_safetensors(out, tensors, metadata={"original_size": "%d,%d" % pre.original_size,
                                              "input_size": "%d,%d" % pre.input_size})


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m pixellm_ref.bench_image", description=__doc__.split("\n\n")[0])
    ap.add_argument("--image", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--dump")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    if args.dump:
        dump(args.image, args.dump)
    for result in bench(args.image, args.runs):
        if args.json:
            print(json.dumps(result), flush=True)
        else:
            print(f"{result['stage']:<26} {result['shape']:>11} {result['median_ms']:>10.2f} ms")


if __name__ == "__main__":
    main()
