"""Strict loading of a PixelLM checkpoint directory and its CLIP vision directory (§10).

Missing, unexpected, mis-shaped or wrongly typed tensors are errors naming the key; shapes are
derived from config.json, so a tensor contradicting the config is reported as such. Tensors may
be stored as F32, F16 or BF16 (mixed, §10.1); the reference computes in f32.
"""
import os
from dataclasses import dataclass

import torch

from .clip import ClipVisionModel
from .config import ClipVisionConfig, ConfigError, PixelLMConfig, read_json
from .model import IGNORED_CLIP_KEYS, IGNORED_CLIP_PREFIXES, IGNORED_PIXELLM_SUFFIXES, PixelLMForCausalLM
from .safetensors_io import load_checkpoint_dir
from .tokenizer import Tokenizer, TokenizerError

WEIGHT_DTYPES = (torch.float32, torch.float16, torch.bfloat16)


class CheckpointError(ValueError):
    """A checkpoint tensor is missing, unexpected, mis-shaped or of an unsupported dtype."""


def load_strict(module, tensors, where, ignored=lambda key: False):
    """Copy `tensors` into `module` (upcast to f32) after checking them 1:1 against its state dict."""
    expected = module.state_dict()
    for key in sorted(tensors):
        if key not in expected and not ignored(key):
            raise CheckpointError(f"{where}: unexpected tensor '{key}'")
    for key in sorted(expected):
        if key not in tensors:
            raise CheckpointError(f"{where}: missing tensor '{key}'")
        t = tensors[key]
        if t.dtype not in WEIGHT_DTYPES:
            raise CheckpointError(f"{where}: tensor '{key}' has unsupported dtype {t.dtype} "
                                  f"(F32, F16 and BF16 are supported)")
        if tuple(t.shape) != tuple(expected[key].shape):
            raise CheckpointError(f"{where}: tensor '{key}' has shape {list(t.shape)}, but config.json "
                                  f"implies {list(expected[key].shape)}")
    module.load_state_dict({k: tensors[k].float() for k in expected}, strict=True)
    module.eval()
    for p in module.parameters():
        p.requires_grad_(False)


def _check_vocab(cfg, tensors, where):
    for key in ("model.embed_tokens.weight", "lm_head.weight"):
        if key in tensors and tensors[key].dim() == 2 and tensors[key].shape[0] != cfg.vocab_size:
            raise CheckpointError(f"{where}: vocab_size {cfg.vocab_size} in config.json disagrees with "
                                  f"'{key}' which has {tensors[key].shape[0]} rows")


def resolve_clip_dir(model_dir, cfg):
    """mm_vision_tower names the CLIP directory: absolute, or relative to the model directory's parent
    (a hub id such as "openai/clip-vit-large-patch14-336" resolves by its last component)."""
    name = cfg.mm_vision_tower
    if os.path.isabs(name):
        return name
    parent = os.path.dirname(os.path.abspath(model_dir))
    for candidate in (os.path.join(parent, name), os.path.join(parent, os.path.basename(name))):
        if os.path.isdir(candidate):
            return candidate
    raise ConfigError(f"{model_dir}/config.json: key 'mm_vision_tower' = {name!r} is not a directory "
                      f"next to the model; pass the CLIP directory explicitly")


@dataclass
class Loaded:
    model: PixelLMForCausalLM
    clip: ClipVisionModel
    tokenizer: Tokenizer
    config: PixelLMConfig
    clip_config: ClipVisionConfig
    model_dir: str
    clip_dir: str


def load(model_dir, clip_dir=None):
    """Load config, tokenizer, the PixelLM weights and the CLIP vision weights, all checked."""
    cfg_path = os.path.join(model_dir, "config.json")
    cfg = PixelLMConfig.from_dict(read_json(cfg_path), cfg_path)
    clip_dir = clip_dir or resolve_clip_dir(model_dir, cfg)
    clip_cfg_path = os.path.join(clip_dir, "config.json")
    clip_cfg = ClipVisionConfig.from_dict(read_json(clip_cfg_path), clip_cfg_path)
    if cfg.mm_hidden_size != clip_cfg.hidden_size:
        raise ConfigError(f"{cfg_path}: key 'mm_hidden_size' = {cfg.mm_hidden_size} disagrees with the "
                          f"CLIP hidden_size {clip_cfg.hidden_size} in {clip_cfg_path}")
    if -cfg.mm_vision_select_layer > clip_cfg.num_hidden_layers + 1:
        raise ConfigError(f"{cfg_path}: key 'mm_vision_select_layer' = {cfg.mm_vision_select_layer} is "
                          f"outside the {clip_cfg.num_hidden_layers + 1} CLIP hidden states")
    tok = Tokenizer.from_dir(model_dir, cfg.num_seg_tokens)
    if tok.vocab_size != cfg.vocab_size:
        raise TokenizerError(f"{cfg_path}: vocab_size {cfg.vocab_size} disagrees with the tokenizer "
                             f"(tokenizer.model + added_tokens.json = {tok.vocab_size})")

    tensors = load_checkpoint_dir(model_dir)
    _check_vocab(cfg, tensors, model_dir)
    model = PixelLMForCausalLM(cfg)
    load_strict(model, tensors, model_dir, lambda k: k.endswith(IGNORED_PIXELLM_SUFFIXES))

    clip = ClipVisionModel(clip_cfg)
    load_strict(clip, load_checkpoint_dir(clip_dir), clip_dir,
                lambda k: k.startswith(IGNORED_CLIP_PREFIXES) or k in IGNORED_CLIP_KEYS)
    return Loaded(model=model, clip=clip, tokenizer=tok, config=cfg, clip_config=clip_cfg,
                  model_dir=model_dir, clip_dir=clip_dir)
