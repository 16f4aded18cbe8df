"""End to end: image + question -> text, ids, masks, scores and every intermediate (§1, §14)."""
import os
from dataclasses import dataclass, field

import numpy as np
import torch

from .clip import select_features
from .config import EOS_ID, GRID, LOWRES_OUT, MID_LAYER
from .generate import generate, splice
from .image import Preprocessed, decode_image, preprocess
from .postprocess import binarize, fuse_levels, mask_scores, postprocess
from .projectors import image_tokens, mask_features
from .seg import ORIGINAL, SegGroups, fuse, seg_mask, select_states
from .tokenizer import prompt_text


@dataclass
class SegmentResult:
    prompt_text: str
    prompt_ids: list             # with the single -200
    generated_ids: list          # EOS included when emitted
    sequence: list               # prompt_ids + generated_ids (`sequences`, §6.3)
    text: str                    # decoded answer (generated ids), informational
    logits: torch.Tensor         # [N,H,W] mask logits at the original size
    masks: torch.Tensor          # [N,H,W] bool
    scores: torch.Tensor         # [N]
    seg: SegGroups
    pre: Preprocessed
    tensors: dict = field(default_factory=dict)   # every intermediate, by fixture name


def _as_rgb(image):
    if isinstance(image, np.ndarray):
        return image
    if isinstance(image, (str, os.PathLike, bytes, bytearray)):
        return decode_image(image)
    raise TypeError(f"image must be a path, bytes or an RGB uint8 array, not {type(image).__name__}")


@torch.inference_mode()
def segment(loaded, image, question, max_new_tokens=512, forced_answer=None, seg_rule=ORIGINAL,
            use_cache=True):
    """Run the whole pipeline. `loaded` comes from checkpoint.load(). `forced_answer` (text with
    SEG tokens) teacher-forces the answer so the pixel decoder runs on random models; greedy
    generation is used otherwise. seg_rule: seg.ORIGINAL (K % 6 != 0 -> no masks) or
    seg.COMPLETE_GROUPS (§15.4)."""
    model, clip, tok, cfg = loaded.model, loaded.clip, loaded.tokenizer, loaded.config
    t = {}
    # §2 preprocessing and validity masks
    pre = preprocess(_as_rgb(image))
    t["image.rgb"] = torch.from_numpy(pre.rgb.copy())                    # [H,W,3] u8
    t["image.resized"] = torch.from_numpy(pre.resized.copy())            # [h',w',3] u8
    t["image.pixels"] = pre.pixels                                       # [1,3,448,448]
    for name, m in pre.masks.items():
        t[f"mask.{name}"] = m.to(torch.uint8)
    # §3 CLIP tower
    t["clip.position_table"] = clip.vision_model.embeddings.positions()  # [1025,Cv]
    hs = clip(pre.pixels, pre.masks["clip_key"])                         # n_layers+1 x [1,1025,Cv]
    f_deep, f_mid = select_features(hs, cfg.mm_vision_select_layer)      # [1,1024,Cv] each
    t["clip.hs0"], t["clip.hs_deep"], t["clip.hs_mid"] = hs[0], hs[cfg.mm_vision_select_layer], hs[MID_LAYER]
    # §4 projectors
    t["proj.pooled"], t["proj.image_tokens"] = image_tokens(model, f_deep)  # [1,256,Cv], [1,256,D]
    t["proj.mask_features"], fm = mask_features(model, f_deep, f_mid)       # [2,1024,D], [2,D,32,32]
    # §5 prompt and splice
    ids = tok.build_prompt_ids(question)
    embeds, key_valid = splice(model, ids, t["proj.image_tokens"], pre.masks["token"])
    t["prompt.ids"] = torch.tensor(ids, dtype=torch.long)                # [L]
    t["llm.input_embeds"], t["llm.key_valid"] = embeds, key_valid.to(torch.uint8)  # [1,L+255,D]
    # §6 generation and SEG gathering
    forced = tok.encode_answer(forced_answer) if forced_answer is not None else None
    gen = generate(model, embeds, key_valid, max_new_tokens, forced, use_cache)
    sequence = ids + gen.ids
    t["gen.ids"], t["gen.logits"] = torch.tensor(gen.ids, dtype=torch.long), gen.logits  # [n], [n,V]
    t["llm.hidden"] = gen.hidden                                         # [1,T+254,D]
    mask = seg_mask(sequence, tok.seg_ids)                               # [T+254]
    assert mask.shape[0] == gen.hidden.shape[1]
    groups = select_states(mask, cfg.seg_token_num, cfg.image_feature_scale_num, seg_rule)
    t["seg.mask"], t["seg.positions"] = mask.to(torch.uint8), groups.positions
    states = gen.hidden[0, groups.positions[:groups.kept]]               # [K,D]
    t["seg.hidden"] = states
    t["seg.text_fcs"] = model.model.text_hidden_fcs[0](states)           # [K,C] §7.1
    q = fuse(t["seg.text_fcs"], cfg.seg_token_num, cfg.image_feature_scale_num)  # [N,2,C]
    t["seg.queries"] = q
    # §7 prompt encoder and neck
    pe_enc = model.model.prompt_encoder
    sparse, dense = pe_enc(q)                                            # [N,2,C], [N,C,32,32]
    t["pe.dense32"] = pe_enc.get_dense_pe()                              # [1,C,32,32]
    t["pe.dense64"] = model.model.mask_decoder.pe1(2 * GRID)[None]       # [1,C,64,64]
    t["pe.no_mask"] = pe_enc.no_mask_embed.weight                        # [1,C]
    y = model.model.image_feature_neck(fm)                               # [2,C,32,32]
    t["neck.out"] = y
    # §8 decoder levels, fusion; §9 post-processing
    h, w = pre.original_size
    n = q.shape[0]
    if n > 0:
        dec = model.model.mask_decoder
        l0 = dec(0, y[0:1], t["pe.dense32"], sparse[:, 0:1], dense)
        l1 = dec(1, y[1:2], t["pe.dense32"], sparse[:, 1:2], dense, previous_masks=l0.masks)
        for i, lv in enumerate((l0, l1)):
            for name in ("src", "tokens", "queries", "keys", "all_masks", "iou", "masks"):
                t[f"decoder.level{i}.{name}"] = getattr(lv, name)
        fused = fuse_levels([l0.masks, l1.masks])                        # [N,1,128,128]
        logits = postprocess(fused, pre.input_size, pre.original_size)   # [N,H,W]
    else:
        fused, logits = torch.zeros(0, 1, LOWRES_OUT, LOWRES_OUT), torch.zeros(0, h, w)
    masks = binarize(logits)
    scores = mask_scores(logits)
    t["masks.fused_lowres"], t["masks.logits"] = fused, logits
    t["masks.binary"], t["masks.scores"] = masks.to(torch.uint8), scores
    answer = gen.ids[:-1] if gen.ids and gen.ids[-1] == EOS_ID else gen.ids
    return SegmentResult(prompt_text=prompt_text(question), prompt_ids=ids, generated_ids=gen.ids,
                         sequence=sequence, text=tok.decode(answer), logits=logits, masks=masks,
                         scores=scores, seg=groups, pre=pre, tensors=t)
