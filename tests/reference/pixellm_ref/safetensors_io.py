"""A small safetensors reader/writer, written from the format description (no third-party code).

Layout: 8-byte little-endian header length N, N bytes of JSON
`{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}}`
(padded with spaces to a multiple of 8), then the raw little-endian tensor bytes.
Sharded checkpoints add `model.safetensors.index.json` = `{"metadata": {...}, "weight_map": {name: file}}`.

The writer is deterministic: tensors sorted by name, data laid out in that order, compact JSON.
Every validation error names the file and the offending tensor.
"""
import json
import os
import struct
import sys

import torch

from .torch_bin_io import has_bin_checkpoint, load_bin_dir

if sys.byteorder != "little":
    raise RuntimeError("pixellm_ref.safetensors_io assumes a little-endian host")

DTYPES = {
    "F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8,
    "U8": torch.uint8, "BOOL": torch.bool,
}
DTYPE_NAMES = {v: k for k, v in DTYPES.items()}
INDEX_NAME = "model.safetensors.index.json"
SINGLE_NAME = "model.safetensors"
MAX_HEADER = 100 * 1024 * 1024


class SafetensorsError(ValueError):
    """A malformed or inconsistent safetensors file, shard set or index."""


def _itemsize(dtype):
    return torch.empty((), dtype=dtype).element_size()


def _numel(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def read_header(path):
    """Parse and validate the header. Returns ({name: entry}, metadata, data_start)."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        head = f.read(8)
        if len(head) < 8:
            raise SafetensorsError(f"{path}: file too short for a safetensors header")
        (n,) = struct.unpack("<Q", head)
        if n > MAX_HEADER or 8 + n > size:
            raise SafetensorsError(f"{path}: header length {n} exceeds the file size {size}")
        try:
            header = json.loads(f.read(n).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise SafetensorsError(f"{path}: header is not valid JSON: {e}") from None
    if not isinstance(header, dict):
        raise SafetensorsError(f"{path}: header is not a JSON object")
    metadata = header.pop("__metadata__", None) or {}
    data_len = size - 8 - n
    spans = []
    for name, entry in header.items():
        if not isinstance(entry, dict) or set(entry) != {"dtype", "shape", "data_offsets"}:
            raise SafetensorsError(f"{path}: tensor '{name}': malformed header entry {entry!r}")
        if entry["dtype"] not in DTYPES:
            raise SafetensorsError(f"{path}: tensor '{name}': unsupported dtype {entry['dtype']!r}")
        shape = entry["shape"]
        if not isinstance(shape, list) or any(not isinstance(s, int) or s < 0 for s in shape):
            raise SafetensorsError(f"{path}: tensor '{name}': bad shape {shape!r}")
        begin, end = entry["data_offsets"]
        want = _numel(shape) * _itemsize(DTYPES[entry["dtype"]])
        if not (0 <= begin <= end <= data_len) or end - begin != want:
            raise SafetensorsError(
                f"{path}: tensor '{name}': data_offsets {[begin, end]} do not hold {want} bytes "
                f"of {entry['dtype']}{shape} inside a {data_len}-byte data section")
        spans.append((begin, end, name))
    pos = 0
    for begin, end, name in sorted(spans):
        if begin != pos:
            raise SafetensorsError(f"{path}: tensor '{name}': data does not start where the previous "
                                   f"tensor ends ({begin} != {pos}); gaps or overlaps are not allowed")
        pos = end
    if pos != data_len:
        raise SafetensorsError(f"{path}: {data_len - pos} trailing bytes after the last tensor")
    return header, metadata, 8 + n


def read_safetensors(path):
    """Read a whole file. Returns ({name: tensor (stored dtype)}, metadata)."""
    header, metadata, start = read_header(path)
    with open(path, "rb") as f:
        f.seek(start)
        data = bytearray(f.read())
    out = {}
    for name, e in header.items():
        dtype, (begin, end) = DTYPES[e["dtype"]], e["data_offsets"]
        if begin == end:
            out[name] = torch.empty(e["shape"], dtype=dtype)
        else:
            out[name] = torch.frombuffer(data, dtype=dtype, offset=begin,
                                         count=(end - begin) // _itemsize(dtype)).reshape(e["shape"])
    return out, metadata


def _tensor_bytes(t):
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return t.numpy().tobytes()


def write_safetensors(path, tensors, metadata=None):
    """Write {name: tensor} deterministically (sorted names, compact JSON, space padding)."""
    header, blobs, pos = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in sorted(metadata.items())}
    for name in sorted(tensors):
        t = tensors[name]
        if t.dtype not in DTYPE_NAMES:
            raise SafetensorsError(f"{path}: tensor '{name}': unsupported dtype {t.dtype}")
        blob = _tensor_bytes(t)
        header[name] = {"dtype": DTYPE_NAMES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [pos, pos + len(blob)]}
        blobs.append(blob)
        pos += len(blob)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for blob in blobs:
            f.write(blob)


def write_sharded(directory, tensors, shards, metadata=None):
    """Write `shards` (a list of name lists) as model-0000i-of-0000n.safetensors plus the index."""
    n = len(shards)
    weight_map, total = {}, 0
    for i, names in enumerate(shards):
        fname = f"model-{i + 1:05d}-of-{n:05d}.safetensors"
        write_safetensors(os.path.join(directory, fname), {k: tensors[k] for k in names}, metadata)
        for k in names:
            weight_map[k] = fname
            total += len(_tensor_bytes(tensors[k]))
    index = {"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))}
    with open(os.path.join(directory, INDEX_NAME), "w") as f:
        json.dump(index, f, indent=2)
        f.write("\n")


def load_checkpoint_dir(directory):
    """Load every tensor of a checkpoint directory: the sharded index if present, else
    model.safetensors; a PyTorch `.bin` checkpoint (torch_bin_io) when that is what the directory
    holds. Shards must agree exactly with the index."""
    index_path = os.path.join(directory, INDEX_NAME)
    if not os.path.exists(index_path) and not os.path.exists(os.path.join(directory, SINGLE_NAME)) \
            and has_bin_checkpoint(directory):
        return load_bin_dir(directory)
    if not os.path.exists(index_path):
        single = os.path.join(directory, SINGLE_NAME)
        if not os.path.exists(single):
            raise SafetensorsError(f"{directory}: neither {SINGLE_NAME} nor {INDEX_NAME} exists")
        return read_safetensors(single)[0]
    with open(index_path) as f:
        weight_map = json.load(f).get("weight_map")
    if not isinstance(weight_map, dict) or not weight_map:
        raise SafetensorsError(f"{index_path}: missing or empty 'weight_map'")
    out = {}
    for fname in sorted(set(weight_map.values())):
        expected = sorted(k for k, v in weight_map.items() if v == fname)
        path = os.path.join(directory, fname)
        if not os.path.exists(path):
            raise SafetensorsError(f"{index_path}: shard '{fname}' (holding '{expected[0]}') is missing")
        tensors, _ = read_safetensors(path)
        for k in sorted(tensors):
            if weight_map.get(k) != fname:
                raise SafetensorsError(f"{path}: tensor '{k}' is not mapped to this shard by the index "
                                       f"(index says {weight_map.get(k)!r})")
        for k in expected:
            if k not in tensors:
                raise SafetensorsError(f"{path}: tensor '{k}' is mapped here by the index but is absent")
        out.update(tensors)
    return out
