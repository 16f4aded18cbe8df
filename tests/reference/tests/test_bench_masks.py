"""pixellm_ref.bench_masks: its JSON line (keys shared with `pixellm bench masks --json`) and its inputs.
Timings themselves are not tested (design.md: performance lives in benchmarks)."""
import json

import torch

from pixellm_ref import bench_masks


def test_json_line_carries_the_shared_keys(capsys):
    threads = torch.get_num_threads()
    try:
        assert bench_masks.main(["--count", "2", "--width", "40", "--height", "30", "--threads", "1", "--runs", "1",
                                 "--json"]) == 0
    finally:
        torch.set_num_threads(threads)   # main sets it; leave the session as conftest set it
    r = json.loads(capsys.readouterr().out)
    assert list(r)[:5] == ["stage", "shape", "threads", "median_ms", "runs"]
    assert (r["stage"], r["shape"], r["threads"], r["runs"]) == ("masks", "n2-40x30", 1, 1)
    assert r["median_ms"] > 0


def test_synthetic_logits_follow_the_engines_formula():
    v = bench_masks.synthetic_logits(2, 8)
    assert v.shape == (2, 8, 8) and v.dtype == torch.float32
    # n = 1, y = 3, x = 5: 4 sin(9*2*5/8 + 0.3) + 3 cos(1.7*3/8*2/2)
    expected = 4 * torch.sin(torch.tensor(9.0 * 2 * 5 / 8 + 0.3, dtype=torch.float64)) + \
        3 * torch.cos(torch.tensor(1.7 * 3 / 8 * 2 / 2, dtype=torch.float64))
    assert abs(v[1, 3, 5].item() - expected.item()) < 1e-6
