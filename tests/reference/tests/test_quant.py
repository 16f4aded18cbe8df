import copy
import ctypes
import os

import numpy as np
import pytest
import torch

from pixellm_ref import quant
from pixellm_ref.model import llm_matrix_names

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
GGML = os.environ.get("PIXELLM_GGML_BASE",
                      os.path.join(REPO, ".deps", "llama-cpp", "bins", "linux-x64", "libggml-base.so"))


def _weights(n_blocks=512, scale=0.02, seed=0):
    return torch.randn(n_blocks, 32, generator=torch.Generator().manual_seed(seed)) * scale


@pytest.mark.parametrize("kind", quant.KINDS)
def test_round_trip_bound(kind):
    """Per block, with d the f32 scale and d16 its stored f16: Q8_0 |x - deq| <= |d|/2 + |q||d - d16|,
    Q4_0 |x - deq| <= |d| + 8|d - d16| (the clamp of q = 16 to 15 costs one step). The f16 term
    is why a bound of |d16|/2 alone does not hold exactly."""
    x = torch.cat([_weights(), _weights(seed=1, scale=300.0), _weights(seed=2, scale=1e-6)])
    b = quant.quantize(x, kind)
    deq = quant.dequantize(b)
    a = x.numpy().astype(np.float64)
    if kind == "q8_0":
        d = np.abs(a).max(1) / 127
        qmax = 127
        step = np.abs(d) / 2
    else:
        d = a[np.arange(len(a)), np.abs(a).argmax(1)] / -8
        qmax = 8
        step = np.abs(d)
    bound = step + qmax * np.abs(d - b.d.astype(np.float64)) + 1e-6 * np.abs(d)
    err = np.abs(a - deq.numpy())
    assert (err <= bound[:, None]).all()


@pytest.mark.parametrize("kind", quant.KINDS)
def test_idempotent_bytes(kind):
    x = _weights()
    once = quant.quantize(x, kind)
    twice = quant.quantize(quant.dequantize(once), kind)
    assert quant.pack(once) == quant.pack(twice)


def test_q8_0_hand_block():
    """amax = 127 -> d = 1, id = 1; roundf rounds halves away from zero (2.5 -> 3, -63.5 -> -64)."""
    x = torch.tensor([127.0, -63.5, 2.5, 0.5, -0.5, 0.49999997, 1.5, -126.6] + [0.0] * 24)
    b = quant.quantize(x, "q8_0")
    assert b.d.tolist() == [1.0]
    assert b.q[0, :8].tolist() == [127, -64, 3, 1, -1, 0, 2, -127]
    raw = quant.pack(b)
    assert len(raw) == 34 and raw[:2] == b"\x00\x3c"                  # f16 1.0, little-endian
    assert raw[2:10] == bytes([127, 256 - 64, 3, 1, 255, 0, 2, 256 - 127])


def test_q4_0_hand_block_and_nibbles():
    """m = -8 -> d = 1, id = 1; q = min(15, trunc(x + 8.5))."""
    x = torch.tensor([-8.0, 7.0, 7.5, 0.5, -0.5, 0.49, 3.0, -3.2] + [0.0] * 8 + [1.0, 2.0] + [0.0] * 14)
    b = quant.quantize(x, "q4_0")
    assert b.d.tolist() == [1.0]
    assert b.q[0, :8].tolist() == [0, 15, 15, 9, 8, 8, 11, 5]
    assert b.q[0, 16:18].tolist() == [9, 10]
    raw = quant.pack(b)
    assert len(raw) == 18 and raw[:2] == b"\x00\x3c"
    assert raw[2] == 0 | (9 << 4) and raw[3] == 15 | (10 << 4) and raw[4] == 15 | (8 << 4)
    assert quant.dequantize(b).tolist()[:8] == [-8.0, 7.0, 7.0, 1.0, 0.0, 0.0, 3.0, -3.0]


def test_q4_0_ties_keep_the_first_value_and_its_sign():
    x = torch.tensor([8.0, -8.0] + [1.0] * 30)
    b = quant.quantize(x, "q4_0")
    assert b.d.tolist() == [-1.0]                                       # m = +8 (first), d = 8 / -8
    assert b.q[0, :3].tolist() == [0, 15, 7]                            # -8 -> 16.5 -> clamped 15
    assert quant.dequantize(b)[:3].tolist() == [8.0, -7.0, 1.0]


def test_all_zero_blocks():
    z = torch.zeros(64)
    assert quant.pack(quant.quantize(z, "q8_0")) == bytes(68)
    q4 = quant.pack(quant.quantize(z, "q4_0"))
    assert q4 == (b"\x00\x80" + b"\x88" * 16) * 2       # d = 0 / -8 = -0.0 (f16 0x8000), q = 8
    assert not quant.fake_quantize(z, "q4_0").any()


@pytest.mark.parametrize("kind", quant.KINDS)
def test_unpack_inverts_pack(kind):
    x = _weights(8).view(4, 64)
    b = quant.quantize(x, kind)
    back = quant.unpack(quant.pack(b), kind, x.shape)
    assert np.array_equal(back.q, b.q) and np.array_equal(back.d, b.d)
    assert torch.equal(quant.dequantize(back), quant.fake_quantize(x, kind))
    assert quant.fake_quantize(x, kind).shape == (4, 64)


def test_rows_must_be_whole_blocks():
    with pytest.raises(ValueError, match="multiple of 32"):
        quant.quantize(torch.zeros(3, 48), "q8_0")


@pytest.mark.skipif(not os.path.exists(GGML), reason=f"llama.cpp's ggml not found at {GGML} (./build.sh fetches it)")
@pytest.mark.parametrize("kind", quant.KINDS)
def test_bytes_equal_ggml(kind):
    """Cross-check against llama.cpp's own reference quantizer and dequantizer."""
    lib = ctypes.CDLL(GGML)
    qfn, dfn = getattr(lib, f"quantize_row_{kind}_ref"), getattr(lib, f"dequantize_row_{kind}")
    for fn in (qfn, dfn):
        fn.argtypes, fn.restype = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64], None
    ties = (torch.randint(-20, 20, (256, 32), generator=torch.Generator().manual_seed(5)) / 4).float()
    for x in (_weights(), _weights(seed=3, scale=50.0), ties, torch.zeros(2, 32)):
        a = np.ascontiguousarray(x.numpy().ravel())
        nb = a.size // 32
        buf = ctypes.create_string_buffer(nb * (34 if kind == "q8_0" else 18))
        qfn(a.ctypes.data, buf, a.size)
        assert quant.pack(quant.quantize(x, kind)) == buf.raw
        out = np.zeros_like(a)
        dfn(buf, out.ctypes.data, a.size)
        assert np.array_equal(out.view(np.uint32), quant.fake_quantize(x, kind).numpy().ravel().view(np.uint32))


@pytest.mark.parametrize("kind", quant.KINDS)
def test_fake_quantize_llm_touches_only_llm_matrices(tiny, kind):
    model = copy.deepcopy(tiny.model)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    names = quant.fake_quantize_llm(model, kind)
    assert names == llm_matrix_names(tiny.config) and len(names) == 2 + 7 * tiny.config.num_hidden_layers
    after = model.state_dict()
    for k in before:
        if k in names:
            assert torch.equal(after[k], quant.fake_quantize(before[k], kind)), k
            assert not torch.equal(after[k], before[k]), k
        else:
            assert torch.equal(after[k], before[k]), k
