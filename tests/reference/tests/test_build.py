import glob
import json
import os

import pytest
import torch

from pixellm_ref import build, checkpoint
from pixellm_ref.safetensors_io import INDEX_NAME, load_checkpoint_dir, read_header


def _files(root):
    out = {}
    for path in sorted(glob.glob(os.path.join(root, "**", "*"), recursive=True)):
        if os.path.isfile(path):
            with open(path, "rb") as f:
                out[os.path.relpath(path, root)] = f.read()
    return out


def test_same_seed_same_bytes(tiny_dirs, tokenizer_path, tmp_path):
    root = os.path.dirname(tiny_dirs[0])
    build.build(str(tmp_path / "again"), "tiny", tokenizer_path, seed=0)
    a, b = _files(root), _files(str(tmp_path / "again"))
    assert sorted(a) == sorted(b) and all(a[k] == b[k] for k in a)
    build.build(str(tmp_path / "other"), "tiny", tokenizer_path, seed=1)
    c = _files(str(tmp_path / "other"))
    assert c["pixellm/model.safetensors"] != a["pixellm/model.safetensors"]
    assert c["pixellm/config.json"] == a["pixellm/config.json"]


def test_layout_and_config(tiny_dirs):
    model_dir, clip_dir = tiny_dirs
    for name in ("config.json", "model.safetensors", "tokenizer.model", "added_tokens.json",
                 "special_tokens_map.json", "tokenizer_config.json"):
        assert os.path.isfile(os.path.join(model_dir, name)), name
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    assert cfg["mm_vision_tower"] == "clip-vit" and cfg["mm_vision_select_layer"] == -2
    assert (cfg["mm_use_im_start_end"], cfg["seg_token_num"], cfg["image_feature_scale_num"]) == (True, 3, 2)
    assert (cfg["mm_projector_hidden_dim"], cfg["mm_projector_out_dim"], cfg["vocab_size"]) == (2, 1, 32009)
    with open(os.path.join(model_dir, "added_tokens.json")) as f:
        assert json.load(f) == {"<im_patch>": 32000, "<im_start>": 32001, "<im_end>": 32002,
                                **{f"[SEG{i}]": 32003 + i for i in range(6)}}
    with open(os.path.join(clip_dir, "config.json")) as f:
        vision = json.load(f)["vision_config"]
    assert (vision["image_size"], vision["patch_size"], vision["hidden_act"]) == (336, 14, "quick_gelu")
    header, _, _ = read_header(os.path.join(clip_dir, "model.safetensors"))
    assert header["vision_model.embeddings.position_embedding.weight"]["shape"] == [577, 64]
    assert "logit_scale" in header and "visual_projection.weight" in header


def test_bf16_sharded_variant(tiny_dirs, tokenizer_path, tmp_path):
    model_dir, _ = build.build(str(tmp_path / "bf16"), "tiny", tokenizer_path, seed=0, dtype="bf16", shards=2)
    with open(os.path.join(model_dir, INDEX_NAME)) as f:
        shards = sorted(set(json.load(f)["weight_map"].values()))
    assert shards == ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]
    assert not os.path.exists(os.path.join(model_dir, "model.safetensors"))
    tensors = load_checkpoint_dir(model_dir)
    f32 = load_checkpoint_dir(tiny_dirs[0])
    for name, t in tensors.items():
        llm_side = name.startswith(build.STORED_DTYPE_PREFIXES)
        assert t.dtype == (torch.bfloat16 if llm_side else torch.float32), name
        assert torch.equal(t, f32[name].to(t.dtype)), name             # same draws, rounded
    with open(os.path.join(model_dir, "config.json")) as f:
        assert json.load(f)["torch_dtype"] == "bfloat16"
    checkpoint.load(model_dir)


def _assert_nothing_written(out):
    assert not os.path.exists(out)
    assert not glob.glob(out + ".tmp-*") and not glob.glob(out + ".old-*")


@pytest.mark.parametrize("kwargs, message", [
    ({"preset": "huge"}, "unknown preset"),
    ({"dtype": "f8"}, "unsupported dtype 'f8'"),
    ({"overrides": ["no_such_key=1"]}, "no_such_key"),
    ({"overrides": ["clip.bogus=1"]}, "clip.bogus"),
    ({"overrides": ["num_hidden_layers"]}, "KEY=JSON"),
    ({"overrides": ["vocab_size=32010"]}, "'vocab_size' = 32010"),
    ({"overrides": ["hidden_size=66"]}, "'num_attention_heads'"),
    ({"overrides": ["out_dim=40"]}, "'out_dim'"),
    ({"overrides": ["clip.num_hidden_layers=9"]}, "'num_hidden_layers'"),
    ({"overrides": ["mm_vision_select_layer=-14"]}, "'mm_vision_select_layer'"),   # fails after writing
])
def test_bad_input_is_rejected_and_nothing_is_written(tokenizer_path, tmp_path, kwargs, message):
    out = str(tmp_path / "out")
    with pytest.raises(ValueError, match=message):
        build.build(out, tokenizer_path=tokenizer_path, **kwargs)
    _assert_nothing_written(out)


def test_bad_tokenizer(tmp_path):
    out = str(tmp_path / "out")
    with pytest.raises(build.BuildError, match="does not exist"):
        build.build(out, tokenizer_path=str(tmp_path / "missing.model"))
    junk = tmp_path / "junk.model"
    junk.write_bytes(b"not a sentencepiece model")
    with pytest.raises(build.BuildError, match="not a SentencePiece model"):
        build.build(out, tokenizer_path=str(junk))
    _assert_nothing_written(out)


def test_refuses_non_empty_output(tokenizer_path, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    with pytest.raises(build.BuildError, match="not empty"):
        build.build(str(out), tokenizer_path=tokenizer_path)
    assert (out / "keep.txt").exists()


def test_cli_reports_errors(tmp_path, capsys):
    assert build.main(["--out", str(tmp_path / "o"), "--tokenizer", str(tmp_path / "none")]) == 2
    assert "error:" in capsys.readouterr().err


@pytest.mark.parametrize("shards", [1, 2])
def test_bin_format_matches_safetensors(tiny_dirs, tokenizer_path, tmp_path, shards):
    """--format bin writes the released layout (torch.save archives, sharded with an index) with
    the same tensors as the safetensors build, and checkpoint.load reads it back."""
    model_dir, _ = build.build(str(tmp_path / "bin"), "tiny", tokenizer_path, seed=0, fmt="bin", shards=shards)
    names = sorted(os.listdir(model_dir))
    if shards == 1:
        assert "pytorch_model.bin" in names
    else:
        assert "pytorch_model.bin.index.json" in names and "pytorch_model-00002-of-00002.bin" in names
    assert not any(n.endswith(".safetensors") for n in names)
    a, b = load_checkpoint_dir(tiny_dirs[0]), load_checkpoint_dir(model_dir)
    assert sorted(a) == sorted(b) and all(torch.equal(a[k], b[k]) and a[k].dtype == b[k].dtype for k in a)
    checkpoint.load(model_dir, tiny_dirs[1])


def test_bin_shard_disagreeing_with_index(tokenizer_path, tmp_path):
    model_dir, _ = build.build(str(tmp_path / "bin"), "tiny", tokenizer_path, seed=0, fmt="bin", shards=2)
    index = os.path.join(model_dir, "pytorch_model.bin.index.json")
    with open(index) as f:
        data = json.load(f)
    data["weight_map"]["model.norm.weight"] = "pytorch_model-00001-of-00002.bin" \
        if data["weight_map"]["model.norm.weight"].endswith("00002.bin") else "pytorch_model-00002-of-00002.bin"
    with open(index, "w") as f:
        json.dump(data, f)
    with pytest.raises(ValueError, match="model.norm.weight"):
        load_checkpoint_dir(model_dir)
