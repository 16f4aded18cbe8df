"""The loader's strict checks: every rejection names the offending key or file."""
import json
import os
import shutil

import pytest
import torch

from pixellm_ref import checkpoint
from pixellm_ref.checkpoint import CheckpointError
from pixellm_ref.config import ConfigError
from pixellm_ref.safetensors_io import read_safetensors, write_safetensors
from pixellm_ref.tokenizer import TokenizerError


@pytest.fixture
def fresh(tiny_dirs, tmp_path):
    """A private copy of the tiny checkpoint: (model_dir, clip_dir)."""
    model, clip = tmp_path / "pixellm", tmp_path / "clip-vit"
    shutil.copytree(tiny_dirs[0], model)
    shutil.copytree(tiny_dirs[1], clip)
    return str(model), str(clip)


def _edit_json(path, **changes):
    with open(path) as f:
        d = json.load(f)
    target = d["vision_config"] if "vision_config" in d and changes.pop("_vision", False) else d
    target.update(changes)
    with open(path, "w") as f:
        json.dump(d, f)


def _edit_tensors(directory, fn):
    path = os.path.join(directory, "model.safetensors")
    tensors, meta = read_safetensors(path)
    tensors = {k: v.clone() for k, v in tensors.items()}
    fn(tensors)
    write_safetensors(path, tensors, meta)


def test_loads_and_resolves_clip_from_config(tiny_dirs):
    loaded = checkpoint.load(tiny_dirs[0])                      # mm_vision_tower = "clip-vit"
    assert os.path.samefile(loaded.clip_dir, tiny_dirs[1])


def test_missing_config(fresh):
    os.remove(os.path.join(fresh[0], "config.json"))
    with pytest.raises(ConfigError, match="config.json"):
        checkpoint.load(*fresh)


def test_shape_contradicting_config(fresh):
    _edit_json(os.path.join(fresh[0], "config.json"), intermediate_size=160)
    with pytest.raises(CheckpointError, match=r"'model\.layers\.0\.mlp\.down_proj\.weight'.*\[64, 192\].*\[64, 160\]"):
        checkpoint.load(*fresh)


def test_vocab_disagreeing_with_tokenizer(fresh):
    _edit_json(os.path.join(fresh[0], "config.json"), vocab_size=32010)
    with pytest.raises(TokenizerError, match="vocab_size 32010"):
        checkpoint.load(*fresh)


def test_vocab_disagreeing_with_embedding(fresh):
    def pad(t):
        t["model.embed_tokens.weight"] = torch.cat([t["model.embed_tokens.weight"], torch.zeros(1, 64)])
    _edit_tensors(fresh[0], pad)
    with pytest.raises(CheckpointError, match=r"vocab_size 32009.*'model\.embed_tokens\.weight'.*32010"):
        checkpoint.load(*fresh)


def test_missing_unexpected_and_ignored_tensors(fresh):
    _edit_tensors(fresh[0], lambda t: t.update({"model.layers.0.self_attn.rotary_emb.inv_freq": torch.ones(8)}))
    checkpoint.load(*fresh)                                     # a stale HF buffer is ignored
    _edit_tensors(fresh[0], lambda t: t.update({"model.extra.weight": torch.ones(2)}))
    with pytest.raises(CheckpointError, match=r"unexpected tensor 'model\.extra\.weight'"):
        checkpoint.load(*fresh)
    _edit_tensors(fresh[0], lambda t: (t.pop("model.extra.weight"), t.pop("model.mask_decoder.level_embed.weight")))
    with pytest.raises(CheckpointError, match=r"missing tensor 'model\.mask_decoder\.level_embed\.weight'"):
        checkpoint.load(*fresh)


def test_unsupported_dtype(fresh):
    _edit_tensors(fresh[0], lambda t: t.update({"model.norm.weight": t["model.norm.weight"].double()}))
    with pytest.raises(CheckpointError, match=r"'model\.norm\.weight'.*unsupported dtype"):
        checkpoint.load(*fresh)


def test_clip_checks(fresh):
    _edit_tensors(fresh[1], lambda t: t.pop("vision_model.post_layernorm.bias"))
    with pytest.raises(CheckpointError, match=r"missing tensor 'vision_model\.post_layernorm\.bias'"):
        checkpoint.load(*fresh)
    _edit_json(os.path.join(fresh[1], "config.json"), _vision=True, num_hidden_layers=9)
    with pytest.raises(ConfigError, match="'num_hidden_layers'.*hs\\[-11\\]"):
        checkpoint.load(*fresh)
    _edit_json(os.path.join(fresh[1], "config.json"), _vision=True, num_hidden_layers=12, hidden_size=96)
    with pytest.raises(ConfigError, match="'mm_hidden_size'"):
        checkpoint.load(*fresh)


def test_missing_tokenizer_files(fresh):
    os.remove(os.path.join(fresh[0], "tokenizer.model"))
    with pytest.raises(TokenizerError, match="tokenizer.model"):
        checkpoint.load(*fresh)
    os.remove(os.path.join(fresh[0], "added_tokens.json"))
    with pytest.raises(TokenizerError, match="added_tokens.json"):
        checkpoint.load(*fresh)


def test_forced_config_values_are_checked(fresh):
    _edit_json(os.path.join(fresh[0], "config.json"), mm_projector_out_dim=2)
    with pytest.raises(ConfigError, match="'mm_projector_out_dim'"):
        checkpoint.load(*fresh)
