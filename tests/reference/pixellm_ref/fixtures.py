"""Parity fixtures: run the reference and write every intermediate.

    /usr/bin/python3 -m pixellm_ref.fixtures --model DIR [--clip DIR] --image PATH --question TEXT
        --out DIR [--quant q8_0|q4_0] [--forced-answer TEXT] [--max-new-tokens N]
        [--seg-rule original|complete]

OUT/tensors.safetensors holds the tensors named in OUT/manifest.json, which also records the
prompt, ids, text, sizes, configs, and per tensor its shape, dtype, spec section, meaning and a
comparison hint. Hints are for the engine's f32 path; quantized runs need their own, looser
bounds stated by the test. "rel_max" r means max|engine - ref| <= r * max|ref|.
"""
import argparse
import json
import os
import re
import shutil
import sys
from dataclasses import asdict

from . import checkpoint, pipeline, quant
from .safetensors_io import DTYPE_NAMES, write_safetensors
from .seg import COMPLETE_GROUPS, ORIGINAL

EXACT, IDS = "exact", "ids"
R_TIGHT, R_DEEP = {"rel_max": 1e-5}, {"rel_max": 1e-4}
_DOCS = {
    "image.rgb": ("§15.2", "decoded image [H,W,3] RGB u8, EXIF applied, alpha dropped", EXACT),
    "image.resized": ("§2.2", "Pillow BILINEAR resize to (h',w') [h',w',3] u8", EXACT),
    "image.pixels": ("§2.2", "normalized (ImageNet mean/std on 0..255), zero-padded [1,3,448,448]", R_TIGHT),
    "mask.pixel": ("§2.5", "pixel validity [448,448] u8", EXACT),
    "mask.patch": ("§2.5", "patch validity [32,32] u8: 14i<h' and 14j<w'", EXACT),
    "mask.token": ("§2.5", "LLM image-token validity [16,16] u8 = patch[2u,2v]", EXACT),
    "mask.clip_key": ("§2.5", "CLIP key mask [1025] u8: CLS then patches", EXACT),
    "clip.position_table": ("§3.2", "stretched position table Pn [1025,Cv] with the CLS mis-indexing", R_TIGHT),
    "clip.hs0": ("§3.3", "hs[0] = pre-LN embeddings [1,1025,Cv]", R_TIGHT),
    "clip.hs_deep": ("§3.3", "hs[mm_vision_select_layer] (-2) [1,1025,Cv]; F_deep = [:,1:]", R_DEEP),
    "clip.hs_mid": ("§3.3", "hs[-11] [1,1025,Cv]; F_mid = [:,1:]", R_DEEP),
    "proj.pooled": ("§4.2", "F_deep 2x2-mean-pooled to 16x16 [1,256,Cv]", R_DEEP),
    "proj.image_tokens": ("§4.2", "mm_projector(pooled): the 256 LLM image embeddings [1,256,D]", R_DEEP),
    "proj.mask_features": ("§4.3", "out_mm_projector of [F_deep, F_mid] [2,1024,D]", R_DEEP),
    "prompt.ids": ("§5.3", "prompt ids [L] i64 with the single -200", IDS),
    "llm.input_embeds": ("§5.4", "spliced input embeddings [1,L+255,D]", R_DEEP),
    "llm.key_valid": ("§5.4", "LLM key mask [L+255] u8 (image holes)", EXACT),
    "gen.ids": ("§6.2", "generated (or forced) ids [n] i64, EOS included", IDS),
    "gen.logits": ("§6.2", "logits of every generation step [n,V]; row i chose/scored gen.ids[i]", R_DEEP),
    "llm.hidden": ("§6.3", "post-norm hidden states of s[0..T-2] [1,T+254,D]", R_DEEP),
    "seg.mask": ("§6.4", "255-offset selection mask [T+254] u8", EXACT),
    "seg.positions": ("§6.4", "selected positions [K] i64 (all, before the K % 6 rule)", IDS),
    "seg.hidden": ("§6.4", "hidden states of the kept selected positions [K',D]", R_DEEP),
    "seg.text_fcs": ("§7.1", "text_hidden_fcs of seg.hidden [K',C]", R_DEEP),
    "seg.queries": ("§6.4", "fused codebook queries Q [N,2,C]", R_DEEP),
    "pe.dense32": ("§7.2", "prompt-encoder PE on 32x32 [1,C,32,32]", R_TIGHT),
    "pe.dense64": ("§8.4", "mask_decoder.pe1 PE on 64x64 [1,C,64,64]", R_TIGHT),
    "pe.no_mask": ("§7.2", "no_mask_embed, the dense prompt [1,C]", EXACT),
    "neck.out": ("§7.3", "image_feature_neck output Y [2,C,32,32]", R_DEEP),
    "masks.fused_lowres": ("§8.5", "0.5*up(m0) + 0.5*m1 [N,1,128,128]", R_DEEP),
    "masks.logits": ("§9.1", "mask logits at the original size [N,H,W]", R_DEEP),
    "masks.binary": ("§9.2", "logits > 0 [N,H,W] u8", {"iou_min": 0.99}),
    "masks.scores": ("§9.2", "mask_score [N]", {"abs_max": 1e-3}),
}
_LEVEL_DOCS = {
    "src": "decoder input after conditioning and + dense [N,C,h,w]",
    "tokens": "T0 = [iou, 4 mask tokens, query] + level_embed [N,6,C]",
    "queries": "TwoWayTransformer token outputs [N,6,C]",
    "keys": "TwoWayTransformer image outputs [N,hw,C]",
    "all_masks": "all 4 hypernetwork masks [N,4,2h,2w] (1..3 unused)",
    "iou": "iou predictions [N,4] (unused)",
    "masks": "mask 0, the level output m_l [N,1,2h,2w]",
}
for _lvl, _side in ((0, "32x32 -> 64x64"), (1, "64x64 -> 128x128")):
    for _k, _d in _LEVEL_DOCS.items():
        _DOCS[f"decoder.level{_lvl}.{_k}"] = ("§8.4", f"level {_lvl} ({_side}): {_d}", R_DEEP)


def manifest(result, loaded, args, tensors):
    return {
        "format_version": 1,
        "generator": "pixellm_ref.fixtures",
        "spec": "docs/pixellm-architecture.md",
        "model_dir": args.model, "clip_dir": loaded.clip_dir,
        "config": loaded.config.to_dict(), "clip_config": asdict(loaded.clip_config),
        "quant": args.quant,
        "image": {"path": args.image, "original_size": list(result.pre.original_size),
                  "input_size": list(result.pre.input_size)},
        "question": args.question, "prompt_text": result.prompt_text, "prompt_ids": result.prompt_ids,
        "forced_answer": args.forced_answer, "max_new_tokens": args.max_new_tokens,
        "generated_ids": result.generated_ids, "generated_text": result.text, "sequence": result.sequence,
        "seg": {"rule": args.seg_rule, "seg_ids": loaded.tokenizer.seg_ids,
                "positions": result.seg.positions.tolist(), "kept": result.seg.kept,
                "incomplete": result.seg.incomplete, "num_masks": int(result.masks.shape[0])},
        "tensors_file": "tensors.safetensors",
        "tensors": {name: {"shape": list(t.shape), "dtype": DTYPE_NAMES[t.dtype], "spec": _DOCS[name][0],
                           "description": _DOCS[name][1], "compare": _DOCS[name][2]}
                    for name, t in tensors.items()},
    }


def dumps(obj):
    """Indented JSON with numeric arrays kept on one line."""
    text = json.dumps(obj, indent=1, ensure_ascii=False)
    return re.sub(r"\[([-+.eE\d,\s]*)\]", lambda m: "[" + re.sub(r"\s+", "", m.group(1)).replace(",", ", ") + "]",
                  text) + "\n"


def write_fixtures(args):
    loaded = checkpoint.load(args.model, args.clip)
    if args.quant:
        quant.fake_quantize_llm(loaded.model, args.quant)
    result = pipeline.segment(loaded, args.image, args.question, args.max_new_tokens, args.forced_answer,
                              args.seg_rule)
    tensors = {k: v.contiguous() for k, v in result.tensors.items()}
    out = os.path.abspath(args.out)
    tmp = f"{out}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    try:
        write_safetensors(os.path.join(tmp, "tensors.safetensors"), tensors, {"generator": "pixellm_ref.fixtures"})
        with open(os.path.join(tmp, "manifest.json"), "w", encoding="utf-8") as f:
            f.write(dumps(manifest(result, loaded, args, tensors)))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(out, ignore_errors=True)
    os.rename(tmp, out)
    return result


def parse_args(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m pixellm_ref.fixtures", description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True, help="PixelLM checkpoint directory")
    ap.add_argument("--clip", help="CLIP vision directory (default: resolved from mm_vision_tower)")
    ap.add_argument("--image", required=True)
    ap.add_argument("--question", required=True)
    ap.add_argument("--out", required=True, help="output directory (replaced)")
    ap.add_argument("--quant", choices=quant.KINDS, help="fake-quantize the LLM matrices first")
    ap.add_argument("--forced-answer", help="teacher-force this answer (text with [SEGk] tokens)")
    ap.add_argument("--max-new-tokens", type=int, default=64)
    ap.add_argument("--seg-rule", choices=(ORIGINAL, COMPLETE_GROUPS), default=ORIGINAL)
    return ap.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        result = write_fixtures(args)
    except (ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"{args.out}: {len(result.generated_ids)} generated ids, {result.masks.shape[0]} masks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
