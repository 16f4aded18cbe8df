#!/usr/bin/python3
"""The engine against llama.cpp on the same GGUF files, in one script (design.md, "Testing").

    tools/bench_llm.sh run [--threads 2] [--runs 5] [--models tinyllama-q4_0,...] [--pp 512] [--tg 128]
                           [--sequences 1,4,16] [--batch-steps 32] [--out FILE.jsonl]

For each model (built once and cached by tools/bench_llm.sh under build/bench/): llama.cpp's CPU
library (tests/native/bench/llama_cpp_bench, through libllama's C API) and `pixellm bench llm`, same
file, same threads, same workloads. The machine's streaming-read bandwidth is measured in the same
run (before the first model and after each one; the highest so far is used), and decode is reported against it: weight
bytes read per token (every tensor but the token embedding, of which one row is read), GB/s
achieved, and the fraction of the measured bandwidth. Prints ratio tables; every raw JSON line
goes to --out (default build/bench/results-TIMESTAMP.jsonl).
"""
import argparse
import datetime
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, "src/PixelLM.Cli/bin/Release/net10.0/PixelLM.Cli.dll")
LLAMA_BENCH = os.path.join(ROOT, "build/release/tests/native/llama_cpp_bench")
DEFAULT_MODELS = "tinyllama-q4_0,tinyllama-q8_0,llama7b4l-q4_0"
# The targets, stated once: engine / llama.cpp for pp and tg, batched scaling, bandwidth, RSS.
TARGET_PP, TARGET_TG, TARGET_BATCH16, TARGET_BW, RSS_SLACK = 1.0, 1.2, 6.0, 0.85, 1.10


def json_lines(cmd):
    """Runs cmd and returns the JSON objects it printed (other lines, e.g. llama.cpp's log, are skipped)."""
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def bandwidth(threads, runs):
    return json_lines([LLAMA_BENCH, "bandwidth", "--threads", str(threads), "--mb", "2048", "--runs", str(runs)])[0]


def decode_bytes_per_token(model):
    """Bytes of weights one decode step reads: every tensor once, the token embedding one row only."""
    info = json.loads(subprocess.run(["dotnet", CLI, "info", model, "--json"], check=True,
                                     stdout=subprocess.PIPE, text=True).stdout)
    total = 0
    for t in info["tensors"]:
        if t["name"] == "token_embd.weight":
            total += t["bytes"] // t["shape"][1]
        else:
            total += t["bytes"]
    return total


def ratio(a, b):
    return a / b if a and b else float("nan")


def by_key(results):
    return {(r["stage"], r["shape"]): r for r in results}


def report(name, model, engine, llama, bw_gbs, bytes_per_token, file_mb):
    e, l = by_key(engine), by_key(llama)
    layers = next((r.get("layers") for r in engine if r.get("layers")), None)
    print(f"\n### {name}  ({os.path.relpath(model, ROOT)}, {file_mb:.0f} MiB, {layers} layers)\n")
    print("| stage | shape | engine tok/s | llama.cpp tok/s | engine / llama.cpp | target | engine ms/layer | llama.cpp ms/layer |")
    print("|---|---|---:|---:|---:|---|---:|---:|")
    for key in e:
        er, lr = e[key], l.get(key, {})
        target = {"llm-prefill": f">= {TARGET_PP}x", "llm-decode": f">= {TARGET_TG}x"}.get(key[0], "")
        per_layer = lambda r: f"{r['median_ms'] / layers:.2f}" if r and layers else "-"
        print(f"| {key[0]} | {key[1]} | {er.get('tokens_per_s', 0):.2f} | {lr.get('tokens_per_s', 0):.2f} | "
              f"{ratio(er.get('tokens_per_s'), lr.get('tokens_per_s')):.2f}x | {target} | {per_layer(er)} | {per_layer(lr)} |")

    decode = [k for k in e if k[0] == "llm-decode"]
    if decode:
        limit = bw_gbs * 1e9 / bytes_per_token
        print(f"\nDecode vs bandwidth: {bytes_per_token / 1e6:.1f} MB of weights per token, measured read bandwidth "
              f"{bw_gbs:.1f} GB/s -> bandwidth limit {limit:.1f} tok/s (target: {TARGET_BW:.0%} of it = "
              f"{TARGET_BW * limit:.1f} tok/s)\n")
        print("| side | tok/s | GB/s | fraction of measured bandwidth |")
        print("|---|---:|---:|---:|")
        for side, rows in (("engine", e), ("llama.cpp", l)):
            r = rows.get(decode[0])
            if r:
                gbs = r["tokens_per_s"] * bytes_per_token / 1e9
                print(f"| {side} | {r['tokens_per_s']:.2f} | {gbs:.1f} | {gbs / bw_gbs:.0%} |")

    batched = {r["sequences"]: r for r in engine if r["stage"] == "llm-batched"}
    if 1 in batched and len(batched) > 1:
        one = batched[1]["tokens_per_s"]
        scaling = ", ".join(f"{s} seq: {r['tokens_per_s'] / one:.2f}x" for s, r in sorted(batched.items()))
        lb = {r["sequences"]: r for r in llama if r["stage"] == "llm-batched"}
        lscaling = ", ".join(f"{s} seq: {r['tokens_per_s'] / lb[1]['tokens_per_s']:.2f}x"
                             for s, r in sorted(lb.items())) if 1 in lb else "-"
        print(f"\nBatched decoding, total throughput relative to 1 sequence (target 16 seq >= {TARGET_BATCH16}x): "
              f"engine {scaling}; llama.cpp {lscaling}")

    single = [r for r in engine if r["stage"] in ("llm-prefill", "llm-decode")]
    if single:
        rss = max(r["peak_rss_mb"] for r in single)
        base = single[0].get("baseline_rss_mb", 0)
        budget = single[0]["file_mb"] + single[0]["kv_cache_mb"]
        lrss = max((r["peak_rss_mb"] for r in llama if r["stage"] in ("llm-prefill", "llm-decode")), default=0)
        print(f"\nPeak RSS (pp + tg, one sequence): engine {rss:.0f} MiB, of which {base:.0f} MiB is the process before "
              f"the model was loaded (.NET runtime); file + KV = {budget:.0f} MiB; engine peak / (file + KV) = "
              f"{rss / budget:.2f}x, without the baseline {(rss - base) / budget:.2f}x (target <= {RSS_SLACK:.2f}x); "
              f"llama.cpp peak {lrss:.0f} MiB")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--models", default=DEFAULT_MODELS)
    ap.add_argument("--pp", type=int, default=512)
    ap.add_argument("--tg", type=int, default=128)
    ap.add_argument("--sequences", default="1,4,16")
    ap.add_argument("--batch-steps", type=int, default=32)
    ap.add_argument("--out")
    args = ap.parse_args()
    for tool in (CLI, LLAMA_BENCH):
        if not os.path.exists(tool):
            sys.exit(f"bench_llm: {tool} is missing (run ./build.sh first)")
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out_path = args.out or os.path.join(ROOT, "build/bench", f"results-{stamp}.jsonl")
    common = ["--threads", str(args.threads), "--runs", str(args.runs), "--pp", str(args.pp), "--tg", str(args.tg),
              "--sequences", args.sequences, "--batch-steps", str(args.batch_steps)]

    names = args.models.split(",")
    # A name is a cached benchmark model (built on first use); a path to a .gguf is taken as it is.
    built = [n for n in names if not n.endswith(".gguf")]
    built_paths = iter(subprocess.run([os.path.join(ROOT, "tools/bench_llm.sh"), "models", ",".join(built)],
                                      check=True, stdout=subprocess.PIPE, text=True).stdout.split() if built else [])
    paths = [n if n.endswith(".gguf") else next(built_paths) for n in names]
    print(f"# LLM benchmark, {args.threads} threads, {args.runs} runs (median), {stamp}")
    print("Load before: " + open("/proc/loadavg").read().strip())
    bw = [bandwidth(args.threads, args.runs)]
    records = [dict(bw[0], side="machine")]
    for name, model in zip(names, paths):
        bytes_per_token = decode_bytes_per_token(model)
        # llama.cpp first, then the engine: both find the file in the page cache after the first one's warm-up.
        llama = json_lines([LLAMA_BENCH, "llm", "--model", model] + common)
        engine = json_lines(["dotnet", CLI, "bench", "llm", "--model", model, "--json"] + common)
        records += [dict(r, side="llama.cpp", model=name) for r in llama]
        records += [dict(r, side="engine", model=name) for r in engine]
        bw.append(bandwidth(args.threads, args.runs))
        records.append(dict(bw[-1], side="machine"))
        # Each model is reported as soon as it is done (a long run still shows what it measured), against
        # the best bandwidth seen so far: the machine's limit, not a noisy dip.
        report(name, model, engine, llama, max(b["gb_per_s"] for b in bw), bytes_per_token,
               os.path.getsize(model) / 2**20)
        sys.stdout.flush()
    print("\nRead bandwidth (" + str(args.threads) + " threads, 2 GiB buffer), each measurement: "
          + ", ".join(f"{b['gb_per_s']:.1f} GB/s" for b in bw) + "; each model is held against the highest measured up to its end.")
    print("Load after: " + open("/proc/loadavg").read().strip())
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, "w") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
    print(f"Raw results: {os.path.relpath(out_path, ROOT)}")


if __name__ == "__main__":
    main()
