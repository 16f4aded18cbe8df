"""The PixelLM module tree. Attribute paths equal the HF checkpoint names (§10.2), so the state
dict of a real `hf_model` maps 1:1: `model.embed_tokens.weight`, `model.layers.{i}.*`,
`model.norm.weight`, `lm_head.weight`, `model.mm_projector.{0,2}.*`, `model.out_mm_projector.*`,
`model.text_hidden_fcs.0.{0,2}.*`, `model.image_feature_neck.*`, `model.prompt_encoder.*`,
`model.mask_decoder.*`. The CLIP tower is separate (clip.py), as it is not in the checkpoint."""
from torch import nn

from .layers import make_neck, make_text_hidden_fcs
from .llama import LlamaDecoderLayer, RMSNorm
from .mask_decoder import MaskDecoderMultiScale
from .projectors import make_projector
from .prompt_encoder import PromptEncoder


class PixelLMModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg.hidden_size
        self.embed_tokens = nn.Embedding(cfg.vocab_size, d)                              # [V,D]
        self.layers = nn.ModuleList(LlamaDecoderLayer(cfg) for _ in range(cfg.num_hidden_layers))
        self.norm = RMSNorm(d, cfg.rms_norm_eps)
        self.mm_projector = make_projector(cfg.mm_hidden_size, cfg.projector_hidden, d)      # §4.1
        self.out_mm_projector = make_projector(cfg.mm_hidden_size, cfg.projector_hidden, d)  # Od = D
        self.text_hidden_fcs = make_text_hidden_fcs(d, cfg.out_dim)                          # §7.1
        self.image_feature_neck = make_neck(d, cfg.out_dim)                                  # §7.3
        self.prompt_encoder = PromptEncoder(cfg.out_dim)                                     # §7.2
        self.mask_decoder = MaskDecoderMultiScale(cfg.out_dim, cfg.mask_decoder_mlp_dim,
                                                  cfg.image_feature_scale_num)               # §8


class PixelLMForCausalLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.config = cfg
        self.model = PixelLMModel(cfg)
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)                # [V,D]


# Keys that may appear in a checkpoint and carry nothing the inference reads (§10.2, §3.1).
IGNORED_PIXELLM_SUFFIXES = (".self_attn.rotary_emb.inv_freq",)
IGNORED_CLIP_PREFIXES = ("text_model.",)
IGNORED_CLIP_KEYS = ("visual_projection.weight", "text_projection.weight", "logit_scale",
                     "vision_model.embeddings.position_ids")


def llm_matrix_names(cfg):
    """The LLM's 2-D matrices, the tensors the engine quantizes (embedding, attention, MLP, lm_head)."""
    names = ["model.embed_tokens.weight", "lm_head.weight"]
    for i in range(cfg.num_hidden_layers):
        names += [f"model.layers.{i}.self_attn.{p}_proj.weight" for p in "qkvo"]
        names += [f"model.layers.{i}.mlp.{p}_proj.weight" for p in ("gate", "up", "down")]
    return names
