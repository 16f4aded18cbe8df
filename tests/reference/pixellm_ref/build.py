"""Deterministic tiny/small PixelLM checkpoints in the Hugging Face layout (§10).

    /usr/bin/python3 -m pixellm_ref.build --preset tiny --out DIR [--tokenizer PATH] [--seed N]
        [--dtype f32|bf16|f16] [--shards N] [--format safetensors|bin] [--set KEY=JSON ...] [--force]

writes DIR/pixellm/ (config.json, model.safetensors or shards + index, or with --format bin the
PyTorch pytorch_model.bin or pytorch_model-0000i-of-0000n.bin shards + index, tokenizer.model,
added_tokens.json, special_tokens_map.json, tokenizer_config.json, generation_config.json) and
DIR/clip-vit/ (CLIPConfig config.json, model.safetensors with vision_model.* plus a few ignored
CLIP keys). config.json's mm_vision_tower = "clip-vit", the sibling directory.

Everything is written to a temporary sibling directory, loaded back through checkpoint.load
(the same strict checks as any checkpoint), and only then renamed to DIR.
"""
import argparse
import json
import os
import shutil
import sys
import zlib

import sentencepiece as spm
import torch
from torch import nn

from . import checkpoint
from .clip import ClipEmbeddings, ClipVisionModel
from .config import ClipVisionConfig, PixelLMConfig
from .layers import LayerNorm2d
from .llama import RMSNorm
from .model import PixelLMForCausalLM
from .prompt_encoder import PositionEmbeddingRandom
from .safetensors_io import write_safetensors, write_sharded
from .torch_bin_io import write_bin, write_bin_sharded
from .tokenizer import default_tokenizer_path, layout_7b

CLIP_DIRNAME, MODEL_DIRNAME = "clip-vit", "pixellm"
FORMATS = ("safetensors", "bin")  # the PixelLM weights' file format; CLIP is always safetensors
DTYPES = {"f32": (torch.float32, "float32"), "bf16": (torch.bfloat16, "bfloat16"), "f16": (torch.float16, "float16")}

# Dimensions of the presets. Geometry (448 input, patch 14, 32x32 grid, 256 image tokens, 64/128
# low-res masks, 6 SEG tokens) is the release's; only widths and depths shrink.
PRESETS = {
    "tiny": {"llm": {"hidden_size": 64, "intermediate_size": 192, "num_attention_heads": 4,
                     "num_key_value_heads": 4, "num_hidden_layers": 2, "out_dim": 64,
                     "mask_decoder_mlp_dim": 128},
             "clip": {"hidden_size": 64, "intermediate_size": 256, "num_attention_heads": 4,
                      "num_hidden_layers": 12},
             "dtype": "f32", "shards": 1},
    "small": {"llm": {"hidden_size": 512, "intermediate_size": 1376, "num_attention_heads": 8,
                      "num_key_value_heads": 8, "num_hidden_layers": 6, "out_dim": 256,
                      "mask_decoder_mlp_dim": 2048},
              "clip": {"hidden_size": 256, "intermediate_size": 1024, "num_attention_heads": 4,
                       "num_hidden_layers": 12},
              "dtype": "bf16", "shards": 2},
    # For `tools/bench_vision.sh`: a ViT-L/14-shaped tower (the release's CLIP) beside the tiny LLM and
    # mask head, so the vision benchmark runs the real tower's shapes without a 7B language model.
    "vitl": {"llm": {"hidden_size": 64, "intermediate_size": 192, "num_attention_heads": 4,
                     "num_key_value_heads": 4, "num_hidden_layers": 2, "out_dim": 64,
                     "mask_decoder_mlp_dim": 128},
             "clip": {"hidden_size": 1024, "intermediate_size": 4096, "num_attention_heads": 16,
                      "num_hidden_layers": 24},
             "dtype": "f32", "shards": 1},
}
LLM_PREFIXES = ("model.embed_tokens.", "model.layers.", "model.norm.", "lm_head.")
STORED_DTYPE_PREFIXES = LLM_PREFIXES + ("model.mm_projector.", "model.out_mm_projector.")  # else f32


class BuildError(ValueError):
    """Bad builder input (preset, override, tokenizer, output directory)."""


def pixellm_config_dict(llm, clip_hidden, dtype_name):
    d = {
        "architectures": ["PixelLMForCausalLM"], "model_type": "llava", "hidden_act": "silu",
        "rms_norm_eps": 1e-6, "vocab_size": 32009, "max_position_embeddings": 2048,
        "bos_token_id": 1, "eos_token_id": 2, "pad_token_id": 0, "initializer_range": 0.02,
        "tie_word_embeddings": False, "use_cache": False, "torch_dtype": dtype_name,
        "mm_vision_tower": CLIP_DIRNAME, "mm_vision_select_layer": -2, "mm_vision_select_feature": "patch",
        "mm_hidden_size": clip_hidden, "mm_use_im_start_end": True, "mm_use_im_patch_token": False,
        "seg_token_num": 3, "image_feature_scale_num": 2, "mm_projector_hidden_dim": 2,
        "mm_projector_out_dim": 1, "separate_mm_projector": True, "vision_tower_for_mask": True,
        "pad_train_clip_images": True, "resize_vision_tower": True, "resize_vision_tower_size": 448,
        "train_mask_decoder": True, "transformers_version": "4.31.0",
    }
    d.update(llm)
    return d


def clip_config_dict(vision):
    v = {"model_type": "clip_vision_model", "image_size": 336, "patch_size": 14, "num_channels": 3,
         "layer_norm_eps": 1e-5, "hidden_act": "quick_gelu", "projection_dim": 32}
    v.update(vision)
    return {"architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": 32,
            "logit_scale_init_value": 2.6592, "torch_dtype": "float32", "transformers_version": "4.31.0",
            "text_config": {"model_type": "clip_text_model", "hidden_size": 32, "projection_dim": 32},
            "vision_config": v}


def _generator(seed, name):
    return torch.Generator().manual_seed((seed * 2 ** 32 + zlib.crc32(name.encode())) % 2 ** 63)


def _init_tensor(name, module, pname, shape, seed):
    """Init scaled like real weights: LLM N(0,0.02) (HF initializer_range); other Linear/Conv
    N(0,1/fan_in); norms 1 + 0.02 N; biases 0.02 N; SAM embeddings and PE matrices N(0,1)."""
    g = _generator(seed, name)
    normal = torch.randn(shape, generator=g)
    if isinstance(module, (nn.LayerNorm, LayerNorm2d, RMSNorm)):
        return 1 + 0.02 * normal if pname == "weight" else 0.02 * normal
    if pname == "bias":
        return 0.02 * normal
    if name.startswith(LLM_PREFIXES):
        return 0.02 * normal
    if isinstance(module, (nn.Linear, nn.Conv2d)):
        return normal / (shape[1] * (shape[2] * shape[3] if len(shape) == 4 else 1)) ** 0.5
    if isinstance(module, nn.ConvTranspose2d):
        return normal / shape[0] ** 0.5
    if isinstance(module, ClipEmbeddings):
        return normal / shape[-1] ** 0.5 if pname == "class_embedding" else 0.02 * normal
    if isinstance(module, PositionEmbeddingRandom):
        return normal
    if isinstance(module, nn.Embedding):
        return 0.02 * normal if name.startswith("vision_model.") else normal
    raise BuildError(f"no init rule for tensor '{name}'")


def random_state_dict(module, seed):
    """Deterministic tensors for every state-dict entry; each drawn from its own generator
    seeded by (seed, crc32(name)), so names, not module order, fix the values."""
    owners = {}
    for mname, m in module.named_modules():
        for pname, _ in list(m.named_parameters(recurse=False)) + list(m.named_buffers(recurse=False)):
            owners[f"{mname}.{pname}" if mname else pname] = (m, pname)
    out = {name: _init_tensor(name, *owners[name], tuple(t.shape), seed)
           for name, t in sorted(module.state_dict().items())}
    for name in out:
        if ".output_hypernetworks_mlps." in name and ".layers.2." in name:
            # Zero-sum over the C/8 outputs, so sum_c hyper_c = 0: a random tiny model's mask
            # logits are then a contrast between upscaled channels and take both signs, which
            # makes the thresholded masks non-trivial.
            out[name] = out[name] - out[name].mean(0, keepdim=True)
    return out


def _check_tokenizer(path):
    if not os.path.isfile(path):
        raise BuildError(f"tokenizer model {path} does not exist (set PIXELLM_LLAMA_TOKENIZER or --tokenizer)")
    try:
        sp = spm.SentencePieceProcessor(model_file=path)
    except (RuntimeError, OSError) as e:
        raise BuildError(f"tokenizer model {path} is not a SentencePiece model: {e}") from None
    if (sp.vocab_size(), sp.bos_id(), sp.eos_id(), sp.unk_id()) != (32000, 1, 2, 0):
        raise BuildError(f"tokenizer model {path} is not LLaMA's (32000 pieces, bos 1, eos 2, unk 0)")


def _apply_overrides(llm_dict, clip_vision, overrides):
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep:
            raise BuildError(f"--set {item!r}: expected KEY=JSON")
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            raise BuildError(f"--set {key}: value {raw!r} is not JSON") from None
        if key.startswith("clip."):
            if key[5:] not in clip_vision:
                raise BuildError(f"--set {key}: unknown CLIP vision config key")
            clip_vision[key[5:]] = value
        elif key in PixelLMConfig.__dataclass_fields__:
            llm_dict[key] = value
        else:
            raise BuildError(f"--set {key}: unknown config key")


def _write_tokenizer_files(directory, tokenizer_path):
    shutil.copyfile(tokenizer_path, os.path.join(directory, "tokenizer.model"))
    files = {
        "added_tokens.json": layout_7b(),
        "special_tokens_map.json": {"bos_token": "<s>", "eos_token": "</s>", "pad_token": "<unk>",
                                    "unk_token": "<unk>"},
        "tokenizer_config.json": {"add_bos_token": True, "add_eos_token": False, "bos_token": "<s>",
                                  "eos_token": "</s>", "unk_token": "<unk>", "pad_token": None,
                                  "clean_up_tokenization_spaces": False, "legacy": True,
                                  "model_max_length": 2048, "padding_side": "right",
                                  "sp_model_kwargs": {}, "tokenizer_class": "LlamaTokenizer"},
        "generation_config.json": {"_from_model_config": True, "bos_token_id": 1, "eos_token_id": 2,
                                   "pad_token_id": 0, "transformers_version": "4.31.0"},
    }
    for name, obj in files.items():
        _write_json(os.path.join(directory, name), obj)


def _write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=2, sort_keys=True)
        f.write("\n")


def _shard_names(tensors, shards):
    """Split sorted names into `shards` contiguous groups of about equal byte size."""
    names = sorted(tensors)
    sizes = [tensors[n].numel() * tensors[n].element_size() for n in names]
    total, groups, acc = sum(sizes), [[] for _ in range(shards)], 0
    for name, size in zip(names, sizes):
        groups[min(shards - 1, acc * shards // total)].append(name)
        acc += size
    return [g for g in groups if g]


def write_checkpoint(tmp, preset, tokenizer_path, seed, dtype_key, overrides, shards, fmt="safetensors"):
    p = PRESETS[preset]
    dtype, dtype_name = DTYPES[dtype_key]
    clip_vision = dict(clip_config_dict(p["clip"])["vision_config"])
    llm_dict = dict(p["llm"])
    _apply_overrides(llm_dict, clip_vision, overrides)
    clip_dict = clip_config_dict(clip_vision)
    clip_cfg = ClipVisionConfig.from_dict(clip_dict, "clip config")
    cfg_dict = pixellm_config_dict(llm_dict, clip_cfg.hidden_size, dtype_name)
    cfg = PixelLMConfig.from_dict(cfg_dict, "pixellm config")
    if cfg.vocab_size != len(layout_7b()) + 32000:
        raise BuildError(f"key 'vocab_size' = {cfg.vocab_size} disagrees with the tokenizer "
                         f"(32000 pieces + {len(layout_7b())} added tokens)")
    model_dir, clip_dir = os.path.join(tmp, MODEL_DIRNAME), os.path.join(tmp, CLIP_DIRNAME)
    os.makedirs(model_dir)
    os.makedirs(clip_dir)

    tensors = random_state_dict(PixelLMForCausalLM(cfg), seed)
    tensors = {k: v.to(dtype) if k.startswith(STORED_DTYPE_PREFIXES) else v for k, v in tensors.items()}
    meta = {"format": "pt", "pixellm_ref.preset": preset, "pixellm_ref.seed": str(seed)}
    if fmt == "bin" and shards > 1:
        write_bin_sharded(model_dir, tensors, _shard_names(tensors, shards))
    elif fmt == "bin":
        write_bin(os.path.join(model_dir, "pytorch_model.bin"), tensors)
    elif shards > 1:
        write_sharded(model_dir, tensors, _shard_names(tensors, shards), meta)
    else:
        write_safetensors(os.path.join(model_dir, "model.safetensors"), tensors, meta)
    _write_json(os.path.join(model_dir, "config.json"), cfg_dict)
    _write_tokenizer_files(model_dir, tokenizer_path)

    clip_tensors = random_state_dict(ClipVisionModel(clip_cfg), seed + 1)
    proj = clip_vision["projection_dim"]
    text_hidden = clip_dict["text_config"]["hidden_size"]
    g = _generator(seed + 1, "clip-extras")
    clip_tensors.update({  # present in real CLIP checkpoints, ignored by the loader
        "visual_projection.weight": 0.02 * torch.randn(proj, clip_cfg.hidden_size, generator=g),
        "text_projection.weight": 0.02 * torch.randn(proj, text_hidden, generator=g),
        "logit_scale": torch.tensor(2.6592),
        "text_model.final_layer_norm.weight": torch.ones(text_hidden),
        "text_model.final_layer_norm.bias": torch.zeros(text_hidden)})
    write_safetensors(os.path.join(clip_dir, "model.safetensors"), clip_tensors, {"format": "pt"})
    _write_json(os.path.join(clip_dir, "config.json"), clip_dict)
    checkpoint.load(model_dir, clip_dir)   # the loader's strict checks guard what we wrote


def build(out, preset="tiny", tokenizer_path=None, seed=0, dtype=None, overrides=(), force=False, shards=None,
          fmt="safetensors"):
    """Build into `out` atomically. Returns (model_dir, clip_dir)."""
    if preset not in PRESETS:
        raise BuildError(f"unknown preset {preset!r} (choose from {sorted(PRESETS)})")
    dtype = dtype or PRESETS[preset]["dtype"]
    shards = PRESETS[preset]["shards"] if shards is None else shards
    if shards < 1:
        raise BuildError(f"--shards must be at least 1, not {shards}")
    if fmt not in FORMATS:
        raise BuildError(f"unsupported format {fmt!r} (choose from {list(FORMATS)})")
    if dtype not in DTYPES:
        raise BuildError(f"unsupported dtype {dtype!r} (choose from {sorted(DTYPES)})")
    tokenizer_path = tokenizer_path or default_tokenizer_path()
    _check_tokenizer(tokenizer_path)
    out = os.path.abspath(out)
    if os.path.exists(out) and os.listdir(out) and not force:
        raise BuildError(f"output directory {out} exists and is not empty (use --force to replace it)")
    tmp, old = f"{out}.tmp-{os.getpid()}", f"{out}.old-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        write_checkpoint(tmp, preset, tokenizer_path, seed, dtype, overrides, shards, fmt)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if os.path.exists(out):
        os.rename(out, old)
    os.rename(tmp, out)
    shutil.rmtree(old, ignore_errors=True)
    return os.path.join(out, MODEL_DIRNAME), os.path.join(out, CLIP_DIRNAME)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m pixellm_ref.build", description=__doc__.split("\n\n")[0])
    ap.add_argument("--preset", choices=sorted(PRESETS), default="tiny")
    ap.add_argument("--out", required=True)
    ap.add_argument("--tokenizer", help="LLaMA tokenizer.model (default: $PIXELLM_LLAMA_TOKENIZER or .deps)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dtype", help="stored dtype of the LLM and projectors: f32, bf16 or f16 "
                                    "(mask head and CLIP stay f32; default: the preset's)")
    ap.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=JSON",
                    help="override a config value, e.g. num_hidden_layers=3 or clip.num_hidden_layers=11")
    ap.add_argument("--shards", type=int, help="number of model shards (default: the preset's)")
    ap.add_argument("--format", dest="fmt", choices=FORMATS, default="safetensors",
                    help="file format of the PixelLM weights (default: safetensors)")
    ap.add_argument("--force", action="store_true", help="replace a non-empty output directory")
    args = ap.parse_args(argv)
    try:
        model_dir, clip_dir = build(args.out, args.preset, args.tokenizer, args.seed, args.dtype,
                                    args.overrides, args.force, args.shards, args.fmt)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"model: {model_dir}\nclip:  {clip_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
