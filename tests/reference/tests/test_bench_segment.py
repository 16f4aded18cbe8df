"""pixellm_ref.bench_segment: one JSON line per stage in pipeline order, with the keys `pixellm bench
segment --json` shares. Timings themselves are not tested (design.md: performance lives in benchmarks)."""
import json

import pytest
import torch

from pixellm_ref import bench_segment


def test_prints_every_stage_in_order_then_the_total(tiny_dirs, images, capsys):
    threads = torch.get_num_threads()
    try:
        assert bench_segment.main(["--model", tiny_dirs[0], "--image", images["grey"], "--threads", "1",
                                   "--gen", "2", "--targets", "2", "--runs", "1", "--json"]) == 0
    finally:
        torch.set_num_threads(threads)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["stage"] for r in lines] == list(bench_segment.STAGES) + ["total"]
    for r in lines:
        assert r["threads"] == 1 and r["runs"] == 1 and r["median_ms"] > 0
    by_stage = {r["stage"]: r for r in lines}
    assert by_stage["generation"]["tokens"] == 2 and by_stage["pixel-decoder"]["targets"] == 2
    assert by_stage["total"]["median_ms"] == pytest.approx(sum(r["median_ms"] for r in lines[:-1]), rel=1e-3)


def test_rejects_zero_counts(tiny_dirs, images):
    with pytest.raises(SystemExit):
        bench_segment.main(["--model", tiny_dirs[0], "--image", images["grey"], "--threads", "1", "--gen", "0"])
