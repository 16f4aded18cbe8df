import math

import pytest
import torch

from pixellm_ref.clip import select_features, stretch_position_table
from pixellm_ref.image import validity_masks


def _bilinear_1d_weights(n, m):
    """§12.1 per axis, written out: src = max(scale*(d+0.5)-0.5, 0), i1 clamped at n-1."""
    out = []
    for d in range(m):
        src = max((n / m) * (d + 0.5) - 0.5, 0.0)
        i0 = math.floor(src)
        i1 = i0 + (1 if i0 < n - 1 else 0)
        out.append((i0, i1, 1 - (src - i0), src - i0))
    return out


def test_stretch_3x3_to_4x4_by_hand():
    """A 10-row table (CLS + 3x3) stretched to 4x4 (patch 112 -> 448/112 = 4).
    Channel 0 holds the row index, so G[r][c] = 3r + c is linear and bilinear keeps it linear:
    G'[i][j] = 3 s_i + s_j with s = (0, 0.625, 1.375, 2) (src 0 clamps, 2.125 clamps to the edge)."""
    rows = torch.arange(10, dtype=torch.float32)
    table = torch.stack([rows, rows ** 2], dim=1)                      # [10,2]
    pn = stretch_position_table(table, patch_size=112)                 # [17,2]
    s = [0.0, 0.625, 1.375, 2.0]
    expected = [3 * si + sj for si in s for sj in s] + [9.0]
    assert pn[:, 0].tolist() == expected
    # The CLS mis-indexing: the last row (really patch (2,2)) is appended as "CLS" at the end,
    # so the last patch of the new grid gets it; the real CLS row sits in grid cell (0,0).
    assert pn[16].tolist() == table[9].tolist()
    assert pn[0].tolist() == table[0].tolist()
    # Channel 1 (non-linear) against the §12.1 formula written out independently.
    w = _bilinear_1d_weights(3, 4)
    grid = [[table[3 * r + c, 1].item() for c in range(3)] for r in range(3)]
    for i, (r0, r1, a0, a1) in enumerate(w):
        for j, (c0, c1, b0, b1) in enumerate(w):
            v = a0 * (b0 * grid[r0][c0] + b1 * grid[r0][c1]) + a1 * (b0 * grid[r1][c0] + b1 * grid[r1][c1])
            assert pn[4 * i + j, 1].item() == pytest.approx(v, rel=1e-6)


def test_stretch_shapes_release_geometry():
    table = torch.randn(577, 8)
    pn = stretch_position_table(table, patch_size=14)
    assert pn.shape == (1025, 8)
    assert torch.equal(pn[-1], table[-1])


def test_tower_outputs_and_key_mask(tiny):
    clip, cfg = tiny.clip, tiny.clip_config
    masks = validity_masks(336, 448)                                   # rows 24..31 of patches padded
    pixels = torch.randn(1, 3, 448, 448, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        hs = clip(pixels, masks["clip_key"])
        assert len(hs) == cfg.num_hidden_layers + 1
        assert all(h.shape == (1, 1025, cfg.hidden_size) for h in hs)
        f_deep, f_mid = select_features(hs, -2)
        assert f_deep.shape == f_mid.shape == (1, 1024, cfg.hidden_size)
        assert torch.equal(f_deep, hs[cfg.num_hidden_layers - 1][:, 1:])
        assert torch.equal(f_mid, hs[cfg.num_hidden_layers - 10][:, 1:])
        # Padded patches are masked as keys only: changing them leaves every valid row unchanged.
        pixels2 = pixels.clone()
        pixels2[..., 336:, :] = torch.randn(1, 3, 112, 448)
        hs2 = clip(pixels2, masks["clip_key"])
    valid = masks["clip_key"]
    assert torch.allclose(hs[-1][0, valid], hs2[-1][0, valid], atol=1e-5)
    assert not torch.allclose(hs[-1][0, ~valid], hs2[-1][0, ~valid], atol=1e-2)
