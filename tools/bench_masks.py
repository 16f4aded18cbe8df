#!/usr/bin/python3
"""The C# mask stage against the reference's post-processing, same inputs, same threads, in one script.

    tools/bench_masks.py [--count 8] [--width 4000] [--height 3000] [--threads 2] [--runs 5]

Runs `pixellm bench masks --json` (build first: ./build.sh) and `python3 -m pixellm_ref.bench_masks --json`
on the same synthetic logits and prints both medians and the ratio (reference ms / engine ms). The issue's
target is a ratio of at least 2 for 8 masks on a 12-megapixel (4000x3000) image.
"""
import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, "src/PixelLM.Cli/bin/Release/net10.0/PixelLM.Cli.dll")
TARGET = 2.0


def json_line(cmd, cwd=None):
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, cwd=cwd).stdout
    return next(json.loads(line) for line in out.splitlines() if line.startswith("{"))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name, default in (("count", 8), ("width", 4000), ("height", 3000), ("threads", 2), ("runs", 5)):
        ap.add_argument(f"--{name}", type=int, default=default)
    args = ap.parse_args(argv)
    common = ["--count", str(args.count), "--width", str(args.width), "--height", str(args.height),
              "--threads", str(args.threads), "--runs", str(args.runs), "--json"]
    engine = json_line(["dotnet", CLI, "bench", "masks"] + common)
    reference = json_line(["/usr/bin/python3", "-m", "pixellm_ref.bench_masks"] + common,
                          cwd=os.path.join(ROOT, "tests/reference"))
    ratio = reference["median_ms"] / engine["median_ms"]
    print(json.dumps(dict(reference, side="reference")))
    print(json.dumps(dict(engine, side="engine")))
    print(f"\n| stage | shape | threads | reference ms | engine ms | speed-up (target >= {TARGET:g}x) |")
    print("|---|---|---:|---:|---:|---:|")
    print(f"| masks | {engine['shape']} | {args.threads} | {reference['median_ms']:.1f} | {engine['median_ms']:.1f} | "
          f"{ratio:.2f}x {'(met)' if ratio >= TARGET else '(NOT met)'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
