#!/usr/bin/env python3
"""End-to-end latency by stage, engine against the PyTorch reference, side by side in one run.

    tools/bench_segment.py --checkpoint DIR --gguf DIR --image PATH [--threads 2] [--runs 3] [--gen 20] [--targets 1]

DIR of --checkpoint holds the reference's `pixellm/` and `clip-vit/` (pixellm_ref.build writes them);
--gguf holds the pair `pixellm convert` made of it. Runs `pixellm bench segment --json` and
`pixellm_ref.bench_segment --json` on the same image, question, token stream and thread count, one after
the other, and prints one table: median ms per stage for each side and the ratio reference / engine.
"""
import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, "src", "PixelLM.Cli", "bin", "Release", "net10.0", "PixelLM.Cli.dll")


def lines(cmd, cwd=None):
    out = subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True).stdout
    return {r["stage"]: r for r in (json.loads(line) for line in out.splitlines() if line.startswith("{"))}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--gguf", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--gen", type=int, default=20)
    ap.add_argument("--targets", type=int, default=1)
    a = ap.parse_args()
    common = ["--image", os.path.abspath(a.image), "--threads", str(a.threads), "--runs", str(a.runs),
              "--gen", str(a.gen), "--targets", str(a.targets), "--json"]
    engine = lines(["dotnet", CLI, "bench", "segment", "--model", a.gguf] + common)
    reference = lines(["/usr/bin/python3", "-m", "pixellm_ref.bench_segment", "--model",
                       os.path.abspath(os.path.join(a.checkpoint, "pixellm")), "--clip",
                       os.path.abspath(os.path.join(a.checkpoint, "clip-vit"))] + common,
                      cwd=os.path.join(ROOT, "tests", "reference"))
    print(f"# {a.threads} threads, {a.runs} runs (median), {a.gen} generated tokens, {a.targets} target(s); load {os.getloadavg()}")
    print(f"{'stage':14}{'engine ms':>12}{'reference ms':>14}{'ratio':>8}")
    for stage in list(engine):
        e, r = engine[stage]["median_ms"], reference.get(stage, {}).get("median_ms")
        ratio = f"{r / e:8.2f}" if r and e else f"{'-':>8}"
        print(f"{stage:14}{e:12.1f}{(r if r else float('nan')):14.1f}{ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
