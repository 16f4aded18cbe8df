#!/usr/bin/python3
"""The reference (PyTorch, f32) against the engine on the same model and machine, in one go.

    /usr/bin/python3 tests/reference/compare_bench.py [--preset small | --checkpoint DIR] [--threads 2]
        [--type f32|q8_0|q4_0] [--pp 512] [--tg 128] [--runs 5] [--json]

--checkpoint DIR holds `pixellm/` and `clip-vit/` as the builder writes them; without it the preset is
built once (cached) under build/bench/checkpoints/ref-PRESET. The checkpoint is converted with
`pixellm convert --type TYPE` (cached under build/bench/gguf/ref-PRESET-TYPE; f32 by default: the
reference's own precision, so both sides do the same arithmetic). Both sides then run with the same
thread count: `python3 -m pixellm_ref.bench --json` and `pixellm bench llm --json`, and the results
are paired by (stage, shape) into a ratio table. Reference stages the engine does not have yet are
listed as such.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CLI = os.path.join(ROOT, "src/PixelLM.Cli/bin/Release/net10.0/PixelLM.Cli.dll")
PYTHON = "/usr/bin/python3"   # Debian's, the one with torch (README.md)


def json_lines(cmd, cwd=None):
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, cwd=cwd).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def prepare(args):
    """Returns (checkpoint dir, llm.gguf), building and converting what is missing."""
    name = os.path.basename(os.path.normpath(args.checkpoint)) if args.checkpoint else f"ref-{args.preset}"
    checkpoint = os.path.abspath(args.checkpoint) if args.checkpoint else os.path.join(ROOT, "build/bench/checkpoints", name)
    if not os.path.isfile(os.path.join(checkpoint, "pixellm", "config.json")):
        if args.checkpoint:
            sys.exit(f"compare_bench: {checkpoint}/pixellm/config.json not found")
        subprocess.run([PYTHON, "-m", "pixellm_ref.build", "--preset", args.preset, "--force", "--out", checkpoint],
                       check=True, cwd=HERE, stdout=subprocess.DEVNULL)
    out = os.path.join(ROOT, "build/bench/gguf", f"{name}-{args.type}")
    if not os.path.isfile(os.path.join(out, "llm.gguf")):
        subprocess.run(["dotnet", CLI, "convert", "--checkpoint", os.path.join(checkpoint, "pixellm"),
                        "--clip", os.path.join(checkpoint, "clip-vit"), "--out", out, "--type", args.type],
                       check=True, stdout=subprocess.DEVNULL)
    return checkpoint, os.path.join(out, "llm.gguf")


def table(reference, engine):
    """Rows (stage, shape, reference ms, engine ms, reference ms / engine ms or a note)."""
    by_key = {(r["stage"], r["shape"]): r for r in engine}
    rows = []
    for r in reference:
        e = by_key.get((r["stage"], r["shape"]))
        if e is None:
            rows.append((r["stage"], r["shape"], r["median_ms"], None, "not in the engine yet"))
        else:
            rows.append((r["stage"], r["shape"], r["median_ms"], e["median_ms"], f"{r['median_ms'] / e['median_ms']:.2f}x"))
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--preset", default="small", help="builder preset when no --checkpoint is given")
    ap.add_argument("--checkpoint", help="directory with pixellm/ and clip-vit/")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--type", default="f32", choices=("f32", "f16", "bf16", "q8_0", "q4_0"))
    ap.add_argument("--pp", type=int, default=512)
    ap.add_argument("--tg", type=int, default=128)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="print both sides' raw lines too")
    args = ap.parse_args(argv)
    checkpoint, gguf = prepare(args)
    common = ["--threads", str(args.threads), "--pp", str(args.pp), "--tg", str(args.tg), "--runs", str(args.runs)]
    reference = json_lines([PYTHON, "-m", "pixellm_ref.bench", "--model", os.path.join(checkpoint, "pixellm"),
                            "--clip", os.path.join(checkpoint, "clip-vit"), "--json"] + common, cwd=HERE)
    engine = json_lines(["dotnet", CLI, "bench", "llm", "--model", gguf, "--json", "--sequences", ""] + common)
    if args.json:
        for side, rows in (("reference", reference), ("engine", engine)):
            for r in rows:
                print(json.dumps(dict(r, side=side)))
    print(f"\nReference (PyTorch f32, {args.threads} threads) vs engine ({args.type}, {args.threads} threads) on "
          f"{os.path.relpath(checkpoint, ROOT)}\n")
    print("| stage | shape | reference ms | engine ms | engine speed-up (reference ms / engine ms) |")
    print("|---|---|---:|---:|---:|")
    for stage, shape, ref_ms, eng_ms, note in table(reference, engine):
        eng = f"{eng_ms:.2f}" if eng_ms is not None else "-"
        print(f"| {stage} | {shape} | {ref_ms:.2f} | {eng} | {note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
