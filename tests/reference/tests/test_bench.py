"""pixellm_ref.bench: the JSON lines it prints (keys shared with `pixellm bench --json`) and the token
stream shared with the engine. Timings themselves are not tested (design.md: performance lives in benchmarks)."""
import json
import os
import sys

import pytest
import torch

from pixellm_ref import bench

SHARED_KEYS = ["stage", "shape", "threads", "median_ms", "runs"]


def test_json_lines_carry_the_shared_keys(tiny_dirs, capsys):
    threads = torch.get_num_threads()
    try:
        assert bench.main(["--model", tiny_dirs[0], "--threads", "1", "--pp", "8", "--tg", "3", "--runs", "1",
                           "--json"]) == 0
    finally:
        torch.set_num_threads(threads)   # main sets it; leave the session as conftest set it
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["stage"], r["shape"]) for r in lines] == [
        ("llm-prefill", "pp8"), ("llm-decode", "tg3"), ("vision", "448"), ("pixel-decoder", "n1")]
    for r in lines:
        assert list(r)[:5] == SHARED_KEYS
        assert r["threads"] == 1 and r["runs"] == 1 and r["median_ms"] > 0 and r["peak_rss_mb"] > 0
    assert lines[0]["tokens"] == 8 and lines[1]["tokens"] == 3
    assert lines[0]["tokens_per_s"] == pytest.approx(8000 / lines[0]["median_ms"], rel=1e-3)
    assert "tokens" not in lines[2] and "tokens_per_s" not in lines[3]


def test_stage_selection_and_unknown_stage(tiny_dirs, capsys):
    threads = torch.get_num_threads()
    try:
        assert bench.main(["--model", tiny_dirs[0], "--threads", "1", "--stage", "llm-prefill", "--pp", "4",
                           "--runs", "1"]) == 0
        assert "llm-prefill" in capsys.readouterr().out
        with pytest.raises(SystemExit):
            bench.main(["--model", tiny_dirs[0], "--threads", "1", "--stage", "llm-prefil"])
    finally:
        torch.set_num_threads(threads)


def test_vision_bf16_stage_runs_beside_the_f32_one(tiny_dirs, capsys):
    threads = torch.get_num_threads()
    try:
        assert bench.main(["--model", tiny_dirs[0], "--threads", "1", "--stage", "vision-bf16,vision", "--runs", "1",
                           "--json"]) == 0
    finally:
        torch.set_num_threads(threads)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["stage"], r["shape"]) for r in lines] == [("vision-bf16", "448"), ("vision", "448")]


def test_token_stream_is_the_engines_xorshift32():
    # The first id of src/PixelLM.Cli/Bench/BenchTokens.cs (seed 12345), worked by hand:
    s = 12345
    s ^= (s << 13) & 0xFFFFFFFF
    s ^= s >> 17
    s ^= (s << 5) & 0xFFFFFFFF
    ids = bench.TokenStream(32009).take(1000)
    assert ids[0].item() == 3 + s % 32006
    assert ids.min().item() >= 3 and ids.max().item() < 32009
    assert torch.equal(ids, bench.TokenStream(32009).take(1000))


def test_compare_bench_pairs_stages_and_marks_missing_ones():
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import compare_bench
    reference = [{"stage": "llm-prefill", "shape": "pp8", "median_ms": 10.0},
                 {"stage": "vision", "shape": "448", "median_ms": 5.0}]
    engine = [{"stage": "llm-prefill", "shape": "pp8", "median_ms": 2.5},
              {"stage": "llm-batched", "shape": "s4xtg32", "median_ms": 1.0}]
    assert compare_bench.table(reference, engine) == [
        ("llm-prefill", "pp8", 10.0, 2.5, "4.00x"),
        ("vision", "448", 5.0, None, "not in the engine yet")]
