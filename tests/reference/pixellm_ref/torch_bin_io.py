"""PyTorch `.bin` checkpoints as the released PixelLM models ship them (§10.1): `torch.save` zip
archives, one `pytorch_model.bin` or `pytorch_model-0000i-of-0000n.bin` shards plus
`pytorch_model.bin.index.json` = `{"metadata": {...}, "weight_map": {name: file}}`.

Reading uses `torch.load(weights_only=True)`, torch's own restricted unpickler, so loading a
checkpoint never runs pickled code.
"""
import json
import os

import torch

INDEX_NAME = "pytorch_model.bin.index.json"
SINGLE_NAME = "pytorch_model.bin"


class TorchBinError(ValueError):
    """A malformed or inconsistent `.bin` checkpoint, shard set or index."""


def _own_storage(t):
    # torch.save writes a view's whole storage; a clone keeps each saved tensor exactly its size.
    return t.detach().contiguous().clone()


def write_bin(path, tensors):
    torch.save({name: _own_storage(tensors[name]) for name in sorted(tensors)}, path)


def write_bin_sharded(directory, tensors, shards):
    """Write `shards` (a list of name lists) as pytorch_model-0000i-of-0000n.bin plus the index."""
    n = len(shards)
    weight_map, total = {}, 0
    for i, names in enumerate(shards):
        fname = f"pytorch_model-{i + 1:05d}-of-{n:05d}.bin"
        write_bin(os.path.join(directory, fname), {k: tensors[k] for k in names})
        for k in names:
            weight_map[k] = fname
            total += tensors[k].numel() * tensors[k].element_size()
    index = {"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))}
    with open(os.path.join(directory, INDEX_NAME), "w") as f:
        json.dump(index, f, indent=2)
        f.write("\n")


def _read_bin(path):
    try:
        tensors = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # torch raises several types for a damaged or hostile archive
        raise TorchBinError(f"{path}: not a loadable weights-only torch archive: {e}") from None
    if not isinstance(tensors, dict) or not all(isinstance(v, torch.Tensor) for v in tensors.values()):
        raise TorchBinError(f"{path}: not a dict of tensors")
    return dict(tensors)


def has_bin_checkpoint(directory):
    return any(os.path.exists(os.path.join(directory, n)) for n in (INDEX_NAME, SINGLE_NAME))


def load_bin_dir(directory):
    """Every tensor of a `.bin` checkpoint directory; shards must agree exactly with the index."""
    index_path = os.path.join(directory, INDEX_NAME)
    if not os.path.exists(index_path):
        return _read_bin(os.path.join(directory, SINGLE_NAME))
    with open(index_path) as f:
        weight_map = json.load(f).get("weight_map")
    if not isinstance(weight_map, dict) or not weight_map:
        raise TorchBinError(f"{index_path}: missing or empty 'weight_map'")
    out = {}
    for fname in sorted(set(weight_map.values())):
        expected = sorted(k for k, v in weight_map.items() if v == fname)
        path = os.path.join(directory, fname)
        if not os.path.exists(path):
            raise TorchBinError(f"{index_path}: shard '{fname}' (holding '{expected[0]}') is missing")
        tensors = _read_bin(path)
        if sorted(tensors) != expected:
            extra = sorted(set(tensors) - set(expected)) or sorted(set(expected) - set(tensors))
            raise TorchBinError(f"{path}: tensor '{extra[0]}' disagrees with the index")
        out.update(tensors)
    return out
