#!/usr/bin/python3
"""The table of tools/bench_vision.sh: engine and reference vision stages side by side.

    tools/vision_bench_table.py RESULTS.jsonl --peak-gflops G

RESULTS holds the engine's lines (`pixellm bench vision --json`: they carry gflop, the engine's own
operation count: the patch embedding, 23 of the 24 blocks (hs[-2] is the deepest output; the last
block is never computed) and the LLM projector) and the reference's (`pixellm_ref.bench --stage
vision,vision-bf16`, which runs all 24 blocks). GFLOP/s and the fraction of peak are the engine's;
ratios are reference time / engine time for the same job (both produce the selected hidden states).
The f32 peak is G; the bf16 peak 2 G (vdpbf16ps does two multiply-adds per f32 lane).
"""
import argparse
import json

# The targets: f32 at 60% of the f32 peak; bf16 at 1.5x PyTorch bf16 and 3x PyTorch f32.
TARGET_F32_PEAK, TARGET_BF16_VS_BF16, TARGET_BF16_VS_F32 = 0.60, 1.5, 3.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("results")
    ap.add_argument("--peak-gflops", type=float, required=True, help="f32 peak of the threads used")
    args = ap.parse_args()
    engine, reference = {}, {}
    with open(args.results) as f:
        for line in f:
            if line.startswith("{"):
                r = json.loads(line)
                (engine if "gflop" in r else reference)[r["stage"]] = r
    ref_f32 = reference.get("vision", {}).get("median_ms")
    ref_bf16 = reference.get("vision-bf16", {}).get("median_ms")
    print(f"{'stage':12} {'engine ms':>10} {'GFLOP/s':>8} {'% peak':>7} {'torch f32 ms':>13} {'torch bf16 ms':>14}"
          f" {'vs f32':>7} {'vs bf16':>8}")
    for stage, peak in (("vision", args.peak_gflops), ("vision-bf16", 2 * args.peak_gflops)):
        r = engine.get(stage)
        if r is None:
            continue
        rate = r["gflop"] * 1000 / r["median_ms"]
        vs_f32 = ref_f32 / r["median_ms"] if ref_f32 else float("nan")
        vs_bf16 = ref_bf16 / r["median_ms"] if ref_bf16 else float("nan")
        print(f"{stage:12} {r['median_ms']:10.0f} {rate:8.1f} {100 * rate / peak:6.1f}% {ref_f32 or float('nan'):13.0f}"
              f" {ref_bf16 or float('nan'):14.0f} {vs_f32:6.2f}x {vs_bf16:7.2f}x")
    print(f"targets: vision >= {100 * TARGET_F32_PEAK:.0f}% of the f32 peak; vision-bf16 >= {TARGET_BF16_VS_BF16}x torch bf16"
          f" and >= {TARGET_BF16_VS_F32}x torch f32")


if __name__ == "__main__":
    main()
