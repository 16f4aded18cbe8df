#!/usr/bin/env bash
# LLM benchmark, engine against llama.cpp on the same GGUF files, in one script (design.md, "Testing":
# comparisons side by side, reported as ratios). Builds the random benchmark models once with the
# reference builder + `pixellm convert` (cached under build/bench/, git-ignored), then runs, for
# every model: the machine's 2-thread read bandwidth, llama.cpp's pp/tg through libllama, and
# `pixellm bench llm`, and prints one ratio table.
#
#   tools/bench_llm.sh models                       only build the models (cached)
#   tools/bench_llm.sh run [--threads 2] [--runs 5] [--models tinyllama-q4_0,...] [--sequences 1,4,16]
#
# Models: tinyllama-{q4_0,q8_0} (hidden 2048, 22 layers, 32 heads, 4 kv heads, FFN 5632) and
# llama7b4l-{q4_0,q8_0} (hidden 4096, 32 heads, FFN 11008, 4 layers: per-layer figures are reported).
# Vocabulary: PixelLM's 32009 (LLaMA's 32000 + 9 added tokens), as the builder writes it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/build/bench"
CLI="$ROOT/src/PixelLM.Cli/bin/Release/net10.0/PixelLM.Cli.dll"

# name -> builder overrides (on the tiny preset: its small CLIP tower and mask head keep the build cheap).
shape_overrides() {
  case "$1" in
    tinyllama) echo "hidden_size=2048 num_hidden_layers=22 num_attention_heads=32 num_key_value_heads=4 intermediate_size=5632" ;;
    llama7b4l) echo "hidden_size=4096 num_hidden_layers=4 num_attention_heads=32 num_key_value_heads=32 intermediate_size=11008" ;;
    *) echo "unknown shape $1" >&2; return 1 ;;
  esac
}

# build_model SHAPE TYPE: prints the path of build/bench/SHAPE-TYPE/llm.gguf, building what is missing.
build_model() {
  local shape="$1" type="$2"
  local checkpoint="$BENCH/checkpoints/$shape" out="$BENCH/gguf/$shape-$type"
  if [ ! -f "$checkpoint/pixellm/config.json" ]; then
    local sets=()
    for kv in $(shape_overrides "$shape"); do sets+=(--set "$kv"); done
    echo "==> building the $shape checkpoint (reference builder, bf16)" >&2
    # One thread: the build must not crowd a machine someone else may be measuring on.
    (cd "$ROOT/tests/reference" && OMP_NUM_THREADS=1 nice -n 10 /usr/bin/python3 -m pixellm_ref.build \
      --preset tiny --dtype bf16 --force "${sets[@]}" --out "$checkpoint" >/dev/null)
  fi
  if [ ! -f "$out/llm.gguf" ]; then
    echo "==> converting $shape to $type" >&2
    nice -n 10 dotnet "$CLI" convert --checkpoint "$checkpoint/pixellm" --clip "$checkpoint/clip-vit" \
      --out "$out" --type "$type" >/dev/null
  fi
  echo "$out/llm.gguf"
}

DEFAULT_MODELS="tinyllama-q4_0,tinyllama-q8_0,llama7b4l-q4_0"
command="${1:-run}"
[ $# -gt 0 ] && shift
case "$command" in
  models)
    IFS=, read -ra models <<<"${1:-$DEFAULT_MODELS}"
    for m in "${models[@]}"; do build_model "${m%-*}" "${m##*-}"; done
    ;;
  run)
    exec /usr/bin/python3 "$ROOT/tools/bench_llm.py" "$@"
    ;;
  *) echo "usage: tools/bench_llm.sh models [LIST] | run [options]" >&2; exit 2 ;;
esac
