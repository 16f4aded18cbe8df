#!/usr/bin/python3
"""Image decoding + CLIP preprocessing, engine against the reference's Pillow pipeline, in one script
(design.md, "Testing": side by side, reported as ratios).

    /usr/bin/python3 tools/bench_image.py [--image PATH] [--runs 5]

Without --image a deterministic, photo-like 12-megapixel JPEG (4000x3000, quality 90, 4:2:0) is made
once with the reference's generator and cached under build/bench/images/. Both sides first preprocess
the image and the outputs are compared byte for byte (decoded pixels, resized pixels, the f32 tensor,
the masks): the timings only mean something if the results are the same. Then `pixellm bench image
--json` and `python3 -m pixellm_ref.bench_image --json` run with the same --runs, one thread each, and
the stages are paired into a ratio table (reference time / engine time: above 1 means the engine is faster).
"""
import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE = os.path.join(ROOT, "tests/reference")
CLI = os.path.join(ROOT, "src/PixelLM.Cli/bin/Release/net10.0/PixelLM.Cli.dll")
PYTHON = "/usr/bin/python3"   # Debian's, the one with torch and Pillow (README.md)
OUT = os.path.join(ROOT, "build/bench/images")


def json_lines(cmd, cwd=None):
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, cwd=cwd).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def default_image():
    path = os.path.join(OUT, "photo_4000x3000.jpg")
    if not os.path.isfile(path):
        code = ("import sys; from PIL import Image; from pixellm_ref.parity_images import photo; "
                "Image.fromarray(photo(4000, 3000, 7), 'RGB').save(sys.argv[1], 'JPEG', quality=90)")
        subprocess.run([PYTHON, "-c", code, path], check=True, cwd=REFERENCE)
    return path


def same_results(image):
    """Compares `pixellm preprocess` with the reference's dump of the same tensors; returns a list of differences."""
    sys.path.insert(0, REFERENCE)
    from pixellm_ref.safetensors_io import read_safetensors
    engine, reference = os.path.join(OUT, "engine.safetensors"), os.path.join(OUT, "reference.safetensors")
    subprocess.run(["dotnet", CLI, "preprocess", "--image", image, "--out", engine], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([PYTHON, "-m", "pixellm_ref.bench_image", "--image", image, "--runs", "1", "--dump", reference],
                   check=True, cwd=REFERENCE, stdout=subprocess.DEVNULL)
    ours, theirs = read_safetensors(engine)[0], read_safetensors(reference)[0]
    problems = []
    for name, tensor in theirs.items():
        mine = ours.get(name)
        if mine is None or tuple(mine.shape) != tuple(tensor.shape) or mine.numpy().tobytes() != tensor.numpy().tobytes():
            problems.append(name)
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--image")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    os.makedirs(OUT, exist_ok=True)
    image = os.path.abspath(args.image) if args.image else default_image()

    problems = same_results(image)
    print(f"{image}: results {'identical' if not problems else 'DIFFER in ' + ', '.join(problems)}")
    engine = json_lines(["dotnet", CLI, "bench", "image", "--image", image, "--runs", str(args.runs), "--json"])
    reference = json_lines([PYTHON, "-m", "pixellm_ref.bench_image", "--image", image, "--runs", str(args.runs), "--json"],
                           cwd=REFERENCE)
    theirs = {(r["stage"], r["shape"]): r for r in reference}
    print(f"{'stage':<26} {'shape':>11} {'engine ms':>10} {'Pillow ms':>10} {'ratio':>7}")
    for r in engine:
        ref = theirs.get((r["stage"], r["shape"]))
        ratio = ref["median_ms"] / r["median_ms"] if ref and r["median_ms"] > 0 else float("nan")
        print(f"{r['stage']:<26} {r['shape']:>11} {r['median_ms']:>10.2f} {ref['median_ms'] if ref else float('nan'):>10.2f} {ratio:>6.2f}x")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
