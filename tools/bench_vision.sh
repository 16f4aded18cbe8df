#!/usr/bin/env bash
# Vision benchmark: the engine's tower against the PyTorch reference's on the same random
# ViT-L/14-shaped model (24 layers, width 1024, 16 heads, MLP 4096) at 448 px, same threads, in one
# script (design.md, "Testing": side by side, reported as ratios), f32 and bf16 on both sides.
# Builds the model once (reference builder preset `vitl`, then `pixellm convert`, f16 vision
# matrices as the converter writes by default), cached under build/bench/ (git-ignored).
#
#   tools/bench_vision.sh [--threads 2] [--runs 3] [--peak-gflops 235]
#
# --peak-gflops: this machine's f32 peak for the thread count (default: 117.5 per thread, the 2-thread
# figure of 235 GFLOP/s measured for the issue); the bf16 peak is twice that (vdpbf16ps).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/build/bench"
CLI="$ROOT/src/PixelLM.Cli/bin/Release/net10.0/PixelLM.Cli.dll"
threads=2 runs=3 peak=""
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --peak-gflops) peak="$2"; shift 2 ;;
    *) echo "usage: tools/bench_vision.sh [--threads N] [--runs N] [--peak-gflops G]" >&2; exit 2 ;;
  esac
done
peak="${peak:-$(python3 -c "print(117.5 * $threads)")}"

checkpoint="$BENCH/checkpoints/vitl" gguf="$BENCH/gguf/vitl-f16"
if [ ! -f "$checkpoint/pixellm/config.json" ]; then
  echo "==> building the ViT-L-shaped checkpoint (reference builder, preset vitl)" >&2
  (cd "$ROOT/tests/reference" && OMP_NUM_THREADS=1 nice -n 10 /usr/bin/python3 -m pixellm_ref.build \
    --preset vitl --force --out "$checkpoint" >/dev/null)
fi
if [ ! -f "$gguf/pixel.gguf" ]; then
  echo "==> converting it (f16 vision matrices)" >&2
  nice -n 10 dotnet "$CLI" convert --checkpoint "$checkpoint/pixellm" --clip "$checkpoint/clip-vit" --out "$gguf" \
    --type f16 --vision-type f16 >/dev/null
fi

results="$BENCH/vision-$(date +%Y%m%d-%H%M%S).jsonl"
{
  for compute in f32 bf16; do
    dotnet "$CLI" bench vision --pixel "$gguf/pixel.gguf" --threads "$threads" --runs "$runs" --compute "$compute" --json
  done
  (cd "$ROOT/tests/reference" && /usr/bin/python3 -m pixellm_ref.bench --model "$checkpoint/pixellm" \
    --clip "$checkpoint/clip-vit" --threads "$threads" --stage vision,vision-bf16 --runs "$runs" --json)
} | tee "$results" >&2
python3 "$ROOT/tools/vision_bench_table.py" "$results" --peak-gflops "$peak"
