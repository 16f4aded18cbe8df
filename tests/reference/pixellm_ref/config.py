"""Hyperparameters: the [hard] constants of the spec and the config.json readers (§0, §10).

Every ConfigError names the offending key. Values the original code forces (§0) are checked,
not silently accepted: a config that would change their meaning is rejected.
"""
import json
import os
from dataclasses import dataclass, asdict

# [hard] geometry (§0, §2, §4.2, §6.4, §8). The tiny models keep all of it.
IMAGE_SIZE = 448                      # padded CLIP input side
PATCH_SIZE = 14                       # ViT patch; 448 / 14 = 32
GRID = IMAGE_SIZE // PATCH_SIZE       # 32x32 CLIP patch grid
LLM_GRID = 16                         # 2x2-pooled grid fed to the LLM
NUM_IMAGE_TOKENS = LLM_GRID * LLM_GRID  # 256
IMAGE_TOKEN_INDEX = -200              # placeholder id in the prompt, never embedded (§5.1)
SEG_OFFSET = 255                      # the "255-offset hack" (§6.4)
MID_LAYER = -11                       # second CLIP scale: hs[-11] (§3.3); [hard] in feature_select
LOWRES_OUT = 128                      # fused low-res mask side (§8.5)
DECODER_HEADS = 8                     # TwoWayTransformer heads (§8.1)
ATTN_DOWNSAMPLE = 2                   # cross-attention downsample rate (§8.2)
NUM_MASK_TOKENS = 4                   # 3 multimask outputs + 1 (§8.1)
MASK_IN_CHANS = 16                    # prompt-encoder mask_downscaling width (§7.2, unused)
BOS_ID, EOS_ID = 1, 2                 # LLaMA specials (§5.1); pad = unk = 0 never occurs (byte fallback)
IMAGENET_MEAN = (123.675, 116.28, 103.53)  # §2.2 step 3, on the 0..255 scale
IMAGENET_STD = (58.395, 57.12, 57.375)
ROPE_BASE = 10000.0                   # HF 4.31 built-in (§0)


class ConfigError(ValueError):
    """config.json is missing a key or holds a value the reference cannot honour."""


_MISSING = object()


def _get(d, key, kind, where, default=_MISSING):
    if key not in d:
        if default is _MISSING:
            raise ConfigError(f"{where}: missing key '{key}'")
        return default
    v = d[key]
    ok = isinstance(v, kind) and not (kind in (int, (int, float)) and isinstance(v, bool))
    if not ok:
        raise ConfigError(f"{where}: key '{key}' has value {v!r}, expected {kind}")
    return v


def _require(cond, where, key, msg):
    if not cond:
        raise ConfigError(f"{where}: key '{key}': {msg}")


@dataclass(frozen=True)
class PixelLMConfig:
    """The LLaVA/PixelLM config.json fields the inference reads (§0, §10)."""
    hidden_size: int
    intermediate_size: int
    num_attention_heads: int
    num_key_value_heads: int
    num_hidden_layers: int
    rms_norm_eps: float
    vocab_size: int
    max_position_embeddings: int
    mm_vision_tower: str
    mm_vision_select_layer: int
    mm_hidden_size: int
    mm_use_im_start_end: bool
    out_dim: int                  # mask prompt width == decoder transformer_dim (256 in the release)
    seg_token_num: int            # 3: SEG tokens per scale (§0 chat-side flag)
    image_feature_scale_num: int  # 2, forced (§0)
    mm_projector_hidden_dim: int  # 1 -> Hd = D, 2 -> Hd = 2D (forced 2)
    mm_projector_out_dim: int     # forced 1 -> Od = D
    mask_decoder_mlp_dim: int     # TwoWay MLP width; absent in released configs -> 2048 [hard]
    torch_dtype: str

    @property
    def head_dim(self):
        return self.hidden_size // self.num_attention_heads

    @property
    def projector_hidden(self):
        return self.hidden_size * (2 if self.mm_projector_hidden_dim == 2 else 1)

    @property
    def num_seg_tokens(self):
        return self.seg_token_num * self.image_feature_scale_num

    @classmethod
    def from_dict(cls, d, where="config.json"):
        num = (int, float)
        heads = _get(d, "num_attention_heads", int, where)
        c = cls(
            hidden_size=_get(d, "hidden_size", int, where),
            intermediate_size=_get(d, "intermediate_size", int, where),
            num_attention_heads=heads,
            num_key_value_heads=_get(d, "num_key_value_heads", int, where, heads),
            num_hidden_layers=_get(d, "num_hidden_layers", int, where),
            rms_norm_eps=float(_get(d, "rms_norm_eps", num, where)),
            vocab_size=_get(d, "vocab_size", int, where),
            max_position_embeddings=_get(d, "max_position_embeddings", int, where),
            mm_vision_tower=_get(d, "mm_vision_tower", str, where),
            mm_vision_select_layer=_get(d, "mm_vision_select_layer", int, where),
            mm_hidden_size=_get(d, "mm_hidden_size", int, where),
            mm_use_im_start_end=_get(d, "mm_use_im_start_end", bool, where),
            out_dim=_get(d, "out_dim", int, where),
            seg_token_num=_get(d, "seg_token_num", int, where, 3),
            image_feature_scale_num=_get(d, "image_feature_scale_num", int, where, 2),
            mm_projector_hidden_dim=_get(d, "mm_projector_hidden_dim", int, where, 2),
            mm_projector_out_dim=_get(d, "mm_projector_out_dim", int, where, 1),
            mask_decoder_mlp_dim=_get(d, "mask_decoder_mlp_dim", int, where, 2048),
            torch_dtype=_get(d, "torch_dtype", str, where, "float32"),
        )
        c.validate(where)
        return c

    def validate(self, where="config.json"):
        for key in ("hidden_size", "intermediate_size", "num_attention_heads", "num_key_value_heads",
                    "num_hidden_layers", "vocab_size", "max_position_embeddings", "mm_hidden_size",
                    "out_dim", "seg_token_num", "mask_decoder_mlp_dim"):
            _require(getattr(self, key) > 0, where, key, "must be positive")
        _require(self.hidden_size % self.num_attention_heads == 0, where, "num_attention_heads",
                 f"does not divide hidden_size {self.hidden_size}")
        _require(self.head_dim % 2 == 0, where, "num_attention_heads", "head_dim must be even for RoPE")
        _require(self.num_attention_heads % self.num_key_value_heads == 0, where, "num_key_value_heads",
                 f"does not divide num_attention_heads {self.num_attention_heads}")
        _require(self.rms_norm_eps > 0, where, "rms_norm_eps", "must be positive")
        _require(self.mm_use_im_start_end, where, "mm_use_im_start_end",
                 "must be true (always on in chat.py, §0); the prompt layout depends on it")
        _require(self.image_feature_scale_num == 2, where, "image_feature_scale_num", "is forced to 2 (§0)")
        _require(self.mm_projector_hidden_dim in (1, 2), where, "mm_projector_hidden_dim", "must be 1 or 2")
        _require(self.mm_projector_out_dim == 1, where, "mm_projector_out_dim",
                 "must be 1: the neck input width is hidden_size (§13.24)")
        _require(self.mm_vision_select_layer < 0, where, "mm_vision_select_layer",
                 "must be a negative index into the CLIP hidden-state list (-2 in the release)")
        _require(self.out_dim % (DECODER_HEADS * ATTN_DOWNSAMPLE) == 0 and self.out_dim % 8 == 0,
                 where, "out_dim", f"must be a multiple of {DECODER_HEADS * ATTN_DOWNSAMPLE} and of 8")
        _require(self.torch_dtype in ("float32", "bfloat16", "float16"), where, "torch_dtype",
                 f"unsupported value {self.torch_dtype!r}")

    def to_dict(self):
        return asdict(self)


# HF CLIPVisionConfig defaults for the two keys older configs may omit.
_CLIP_DEFAULTS = {"hidden_act": "quick_gelu", "layer_norm_eps": 1e-5}


@dataclass(frozen=True)
class ClipVisionConfig:
    """The vision half of a HF CLIPConfig (or a bare CLIPVisionConfig) (§3.1)."""
    hidden_size: int
    intermediate_size: int
    num_attention_heads: int
    num_hidden_layers: int
    image_size: int
    patch_size: int
    layer_norm_eps: float
    hidden_act: str

    @property
    def orig_grid(self):
        return self.image_size // self.patch_size

    @classmethod
    def from_dict(cls, d, where="clip config.json"):
        if "vision_config" in d:
            d, where = d["vision_config"], where + " vision_config"
        c = cls(
            hidden_size=_get(d, "hidden_size", int, where),
            intermediate_size=_get(d, "intermediate_size", int, where),
            num_attention_heads=_get(d, "num_attention_heads", int, where),
            num_hidden_layers=_get(d, "num_hidden_layers", int, where),
            image_size=_get(d, "image_size", int, where),
            patch_size=_get(d, "patch_size", int, where),
            layer_norm_eps=float(_get(d, "layer_norm_eps", (int, float), where, _CLIP_DEFAULTS["layer_norm_eps"])),
            hidden_act=_get(d, "hidden_act", str, where, _CLIP_DEFAULTS["hidden_act"]),
        )
        _require(c.patch_size == PATCH_SIZE, where, "patch_size",
                 f"must be {PATCH_SIZE}: the 32x32 grid at 448 is [hard] (§0)")
        _require(c.image_size % c.patch_size == 0, where, "image_size", "must be a multiple of patch_size")
        _require(c.hidden_size % c.num_attention_heads == 0, where, "num_attention_heads",
                 f"does not divide hidden_size {c.hidden_size}")
        _require(c.hidden_act == "quick_gelu", where, "hidden_act", "only quick_gelu is supported (§3.1)")
        # hs has num_hidden_layers + 1 entries; hs[-11] (§3.3) needs at least 11 of them.
        _require(c.num_hidden_layers + 1 >= -MID_LAYER, where, "num_hidden_layers",
                 f"must be >= {-MID_LAYER - 1} so that the [hard] mid layer hs[{MID_LAYER}] exists")
        return c


def read_json(path):
    if not os.path.exists(path):
        raise ConfigError(f"missing file {path}")
    with open(path) as f:
        return json.load(f)
