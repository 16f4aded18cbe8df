import json
import os
import struct

import pytest
import torch

from pixellm_ref.safetensors_io import (INDEX_NAME, SafetensorsError, load_checkpoint_dir, read_safetensors,
                                        write_safetensors, write_sharded)


def _sample():
    g = torch.Generator().manual_seed(0)
    return {
        "b.f32": torch.randn(3, 5, generator=g),
        "a.bf16": torch.randn(4, 7, generator=g).to(torch.bfloat16),
        "c.f16": torch.randn(9, generator=g).to(torch.float16),
        "d.i64": torch.arange(-3, 3),
        "e.u8": torch.arange(6, dtype=torch.uint8).view(2, 3),
        "f.bool": torch.tensor([True, False, True]),
        "g.scalar": torch.tensor(2.5),
        "h.empty": torch.zeros(0, 4),
    }


def test_round_trip_all_dtypes(tmp_path):
    path = tmp_path / "x.safetensors"
    tensors = _sample()
    write_safetensors(path, tensors, {"k": "v"})
    back, meta = read_safetensors(path)
    assert meta == {"k": "v"}
    assert sorted(back) == sorted(tensors)
    for k, t in tensors.items():
        assert back[k].dtype == t.dtype and back[k].shape == t.shape and torch.equal(back[k], t), k


def test_writer_is_deterministic_and_padded(tmp_path):
    tensors = _sample()
    write_safetensors(tmp_path / "a", tensors)
    write_safetensors(tmp_path / "b", dict(reversed(list(tensors.items()))))
    raw = (tmp_path / "a").read_bytes()
    assert raw == (tmp_path / "b").read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    assert n % 8 == 0
    header = json.loads(raw[8:8 + n])
    names = [k for k in header if k != "__metadata__"]
    assert names == sorted(names)
    assert header["a.bf16"]["data_offsets"] == [0, 4 * 7 * 2]


def test_reads_a_hand_built_file(tmp_path):
    header = json.dumps({"w": {"dtype": "BF16", "shape": [2], "data_offsets": [0, 4]},
                         "v": {"dtype": "F16", "shape": [1], "data_offsets": [4, 6]}}).encode()
    header += b" " * (-len(header) % 8)
    data = bytes([0x80, 0x3F, 0x00, 0xC0]) + bytes([0x00, 0x3C])   # bf16 1.0, -2.0; f16 1.0
    path = tmp_path / "h.safetensors"
    path.write_bytes(struct.pack("<Q", len(header)) + header + data)
    t, _ = read_safetensors(path)
    assert t["w"].tolist() == [1.0, -2.0] and t["v"].tolist() == [1.0]


@pytest.mark.parametrize("entry, message", [
    ({"dtype": "F8_E4M3", "shape": [2], "data_offsets": [0, 2]}, "unsupported dtype"),
    ({"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}, "do not hold 8 bytes"),
])
def test_rejects_bad_entries_naming_the_tensor(tmp_path, entry, message):
    header = json.dumps({"bad.tensor": entry}).encode()
    path = tmp_path / "bad.safetensors"
    path.write_bytes(struct.pack("<Q", len(header)) + header + bytes(entry["data_offsets"][1]))
    with pytest.raises(SafetensorsError, match=rf"'bad\.tensor'.*{message}|{message}.*bad\.tensor"):
        read_safetensors(path)


def test_rejects_truncated_file(tmp_path):
    path = tmp_path / "t.safetensors"
    write_safetensors(path, {"x": torch.ones(16)})
    path.write_bytes(path.read_bytes()[:-4])
    with pytest.raises(SafetensorsError, match="'x'"):
        read_safetensors(path)


def test_sharded_round_trip_and_index(tmp_path):
    tensors = _sample()
    names = sorted(tensors)
    write_sharded(tmp_path, tensors, [names[:3], names[3:]])
    index = json.loads((tmp_path / INDEX_NAME).read_text())
    assert index["weight_map"]["a.bf16"] == "model-00001-of-00002.safetensors"
    assert index["weight_map"]["h.empty"] == "model-00002-of-00002.safetensors"
    back = load_checkpoint_dir(tmp_path)
    assert all(torch.equal(back[k], tensors[k]) for k in tensors)


def test_shards_that_disagree_with_the_index(tmp_path):
    tensors = _sample()
    names = sorted(tensors)
    write_sharded(tmp_path, tensors, [names[:3], names[3:]])
    index_path = tmp_path / INDEX_NAME
    index = json.loads(index_path.read_text())
    index["weight_map"]["a.bf16"] = "model-00002-of-00002.safetensors"
    index_path.write_text(json.dumps(index))
    with pytest.raises(SafetensorsError, match="'a.bf16'"):
        load_checkpoint_dir(tmp_path)
    index["weight_map"]["a.bf16"] = "model-00001-of-00002.safetensors"
    index["weight_map"]["zz.ghost"] = "model-00001-of-00002.safetensors"
    index_path.write_text(json.dumps(index))
    with pytest.raises(SafetensorsError, match="'zz.ghost'"):
        load_checkpoint_dir(tmp_path)
    del index["weight_map"]["zz.ghost"]
    index_path.write_text(json.dumps(index))
    os.remove(tmp_path / "model-00002-of-00002.safetensors")
    with pytest.raises(SafetensorsError, match="model-00002-of-00002.safetensors"):
        load_checkpoint_dir(tmp_path)


def test_missing_checkpoint(tmp_path):
    with pytest.raises(SafetensorsError, match="model.safetensors"):
        load_checkpoint_dir(tmp_path)
