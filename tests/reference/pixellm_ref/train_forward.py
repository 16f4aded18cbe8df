"""Teacher-forced PixelLM forward with the training losses, through the inference modules.

For a batch of (image, question, answer-with-SEG, target masks) items this runs exactly the path
the pipeline runs (pipeline.py), with the answer given instead of generated:
image tokens (§4) -> splice (§5.4) -> LLaMA over prompt + answer (§6.1) -> next-token logits of the
answer tokens -> SEG states by the 255-offset rule (§6.4) -> text_hidden_fcs -> codebook fusion ->
prompt encoder, neck, both decoder levels, level fusion (§7, §8) -> logits at the original size (§9.1).

Losses are LISA's / PixelLM's: next-token cross-entropy over the answer tokens (prompt tokens are
ignored, IGNORE_INDEX in the originals), plus per-mask sigmoid BCE (mean over pixels) and Dice
(LISA's dice_loss, scale 1000, eps 1e-6), each averaged over the masks of the batch, combined as
CE_WEIGHT*ce + BCE_WEIGHT*bce + DICE_WEIGHT*dice with LISA's defaults (ce 1.0, bce 2.0, dice 0.5),
which PixelLM's training script keeps.
"""
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from .config import NUM_IMAGE_TOKENS
from .generate import splice
from .llama import KVCache, forward_llm
from .postprocess import fuse_levels, postprocess
from .projectors import image_tokens, mask_features
from .seg import ORIGINAL, fuse, seg_mask, select_states

CE_WEIGHT, BCE_WEIGHT, DICE_WEIGHT = 1.0, 2.0, 0.5


@dataclass
class Example:
    pixels: torch.Tensor        # [1,3,448,448] preprocessed image (no padding)
    input_size: tuple           # (h', w')
    original_size: tuple        # (H, W)
    token_mask: torch.Tensor    # [16,16] bool
    prompt_ids: list            # with the single -200
    answer_ids: list            # EOS last
    masks: torch.Tensor         # [K,H,W] float 0/1, one per SEG group of the answer


@dataclass
class Output:
    loss: torch.Tensor
    ce: torch.Tensor
    bce: torch.Tensor
    dice: torch.Tensor
    token_correct: int          # argmax == target over the answer tokens
    token_count: int
    mask_logits: list           # per example [K,H,W]


def dice_loss(logits, targets, scale=1000.0, eps=1e-6):
    """LISA dice_loss summed over masks: 1 - (2 sum(p t)/s + eps) / (sum p/s + sum t/s + eps)."""
    p = logits.sigmoid().flatten(1)
    t = targets.flatten(1)
    num = 2 * (p / scale * t).sum(-1)
    den = (p / scale).sum(-1) + (t / scale).sum(-1)
    return (1 - (num + eps) / (den + eps)).sum()


def bce_loss(logits, targets):
    """LISA sigmoid_ce_loss summed over masks: BCE with logits, mean over each mask's pixels."""
    return F.binary_cross_entropy_with_logits(logits, targets, reduction="none").flatten(1).mean(1).sum()


def decode_masks(model, cfg, seg_states, fm, input_size, original_size):
    """§6.4 steps 3-4, §7, §8, §9.1 for one image: seg_states [6N,D], fm [2,D,32,32] ->
    logits [N,H,W] at the original size."""
    core = model.model
    q = fuse(core.text_hidden_fcs[0](seg_states), cfg.seg_token_num, cfg.image_feature_scale_num)  # [N,2,C]
    sparse, dense = core.prompt_encoder(q)
    pe32 = core.prompt_encoder.get_dense_pe()
    y = core.image_feature_neck(fm)                                                # [2,C,32,32]
    dec = core.mask_decoder
    l0 = dec(0, y[0:1], pe32, sparse[:, 0:1], dense)
    l1 = dec(1, y[1:2], pe32, sparse[:, 1:2], dense, previous_masks=l0.masks)
    return postprocess(fuse_levels([l0.masks, l1.masks]), input_size, original_size)  # [N,H,W]


def forward(model, cfg, seg_ids, features, examples):
    """features: [B,1024,Cv] F_deep (= F_mid, see shapes_tower) of the examples' images."""
    b = len(examples)
    _, tokens = image_tokens(model, features)                                      # [B,256,D]
    rows, valid_rows, lengths = [], [], []
    for i, ex in enumerate(examples):
        emb, valid = splice(model, ex.prompt_ids + ex.answer_ids, tokens[i:i + 1], ex.token_mask)
        rows.append(emb[0])
        valid_rows.append(valid)
        lengths.append(emb.shape[1])
    t = max(lengths)
    embeds = torch.zeros(b, t, cfg.hidden_size)
    key_valid = torch.ones(t, dtype=torch.bool)
    for i, (row, valid) in enumerate(zip(rows, valid_rows)):
        embeds[i, :row.shape[0]] = row          # right padding: causal attention never sees it
        if not bool(valid.all()):
            raise ValueError("batched training needs unpadded (square) images: one key mask for all rows")
    cache = KVCache(cfg)
    empty = torch.zeros(b, cfg.num_key_value_heads, 0, cfg.head_dim)
    cache.layers = [[empty, empty] for _ in range(cfg.num_hidden_layers)]
    hidden, _ = forward_llm(model.model, cfg, embeds, key_valid, cache)            # [B,T,D]

    pred_states, targets = [], []
    mask_logits, bce, dice, n_masks = [], 0.0, 0.0, 0
    for i, ex in enumerate(examples):
        start = len(ex.prompt_ids) + NUM_IMAGE_TOKENS - 1                         # first answer position
        n = len(ex.answer_ids)
        pred_states.append(hidden[i, start - 1:start - 1 + n])                    # states predicting them
        targets.append(torch.tensor(ex.answer_ids, dtype=torch.long))
        sequence = ex.prompt_ids + ex.answer_ids
        groups = select_states(seg_mask(sequence, seg_ids), cfg.seg_token_num, cfg.image_feature_scale_num,
                               ORIGINAL)
        k = groups.kept // cfg.num_seg_tokens
        if k != ex.masks.shape[0]:
            raise ValueError(f"answer has {k} SEG groups but {ex.masks.shape[0]} target masks")
        if k == 0:
            mask_logits.append(torch.zeros((0,) + tuple(ex.original_size)))
            continue
        _, fm = mask_features(model, features[i:i + 1], features[i:i + 1])       # [2,D,32,32]
        logits = decode_masks(model, cfg, hidden[i, groups.positions[:groups.kept]], fm, ex.input_size,
                              ex.original_size)
        mask_logits.append(logits)
        bce = bce + bce_loss(logits, ex.masks)
        dice = dice + dice_loss(logits, ex.masks)
        n_masks += k
    states = torch.cat(pred_states)                                                # [A,D]
    target = torch.cat(targets)                                                    # [A]
    logits = model.lm_head(states)                                                 # [A,V]
    ce = F.cross_entropy(logits, target)
    bce = bce / max(n_masks, 1) if n_masks else torch.zeros(())
    dice = dice / max(n_masks, 1) if n_masks else torch.zeros(())
    loss = CE_WEIGHT * ce + BCE_WEIGHT * bce + DICE_WEIGHT * dice
    correct = int((logits.argmax(-1) == target).sum())
    return Output(loss=loss, ce=ce, bce=bce, dice=dice, token_correct=correct, token_count=int(target.numel()),
                  mask_logits=mask_logits)


def contiguous_gelu_grads(model):
    """Work around a torch 1.13 CPU bug: GELU's backward returns garbage (values near 0 or 1e16)
    when the incoming gradient is channels-last strided while the input is contiguous, which the
    mask decoder's permutes produce (upsample_2x). A hook on each GELU output makes that gradient
    contiguous before GELU's backward sees it; the forward is untouched."""
    def on_forward(module, inputs, output):
        if output.requires_grad:
            output.register_hook(lambda g: g.contiguous())
    for m in model.modules():
        if isinstance(m, torch.nn.GELU):
            m.register_forward_hook(on_forward)
