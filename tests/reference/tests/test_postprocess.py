import torch

from pixellm_ref.postprocess import binarize, fuse_levels, mask_scores, postprocess


def test_fuse_levels():
    m0 = torch.full((2, 1, 64, 64), 3.0)
    m1 = torch.full((2, 1, 128, 128), -1.0)
    fused = fuse_levels([m0, m1])
    assert fused.shape == (2, 1, 128, 128)
    assert torch.allclose(fused, torch.full_like(fused, 1.0))


def test_fuse_upsamples_level0_bilinearly():
    m0 = torch.zeros(1, 1, 64, 64)
    m0[..., :, 32:] = 2.0
    fused = fuse_levels([m0, torch.zeros(1, 1, 128, 128)])
    row = fused[0, 0, 0]
    assert row[:63].eq(0).all() and row[65:].eq(1).all()
    assert torch.allclose(row[63:65], torch.tensor([0.25, 0.75]))   # the two pixels across the edge


def test_postprocess_crops_the_padding():
    """Positive logits only in the padded columns (x >= 336 of 448) vanish after the crop."""
    m = torch.full((1, 1, 128, 128), -5.0)
    m[..., 100:] = 5.0                                     # 100/128*448 = 350 > 336
    logits = postprocess(m, (448, 336), (640, 480))
    assert logits.shape == (1, 640, 480)
    assert not binarize(logits).any()
    m[..., :] = 5.0
    assert binarize(postprocess(m, (448, 336), (640, 480))).all()


def test_threshold_is_strict_and_scores():
    logits = torch.tensor([[[0.0, 1.0], [-1.0, 2.0]], [[-1.0, -2.0], [0.0, -3.0]]])
    assert binarize(logits).tolist() == [[[False, True], [False, True]], [[False, False], [False, False]]]
    s = mask_scores(logits)
    want = (torch.sigmoid(torch.tensor(1.0)) + torch.sigmoid(torch.tensor(2.0))) / (2 + 1e-6)
    assert torch.allclose(s[0], want) and s[1] == 0


def test_shapes_for_each_test_image(forced_result):
    r = forced_result
    h, w = r.pre.original_size
    assert r.logits.shape == r.masks.shape == (2, h, w)
    assert r.scores.shape == (2,)
    assert 0 < r.masks.float().mean() < 1                  # the tiny model's masks are non-trivial
