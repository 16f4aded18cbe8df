"""Train the small shapes PixelLM on the synthetic task (synth/), on CPU, reproducibly from a seed.

    /usr/bin/python3 -m pixellm_ref.train --out DIR [--seed 0] [--steps N] [--minutes M] [--batch B]
        [--lr LR] [--threads T] [--val-every K] [--val-n N] [--set KEY=JSON ...]

Architecture: exactly PixelLM's (model.py, clip.py), with the widths of SHAPES_LLM and the fixed
vision tower of shapes_tower.py (frozen). Everything else (LLM with the LLaMA vocabulary, both
projectors, text_hidden_fcs, neck, mask decoder) is trained with the losses of train_forward.py on
train-split items drawn fresh each step (item index = step * batch + row, so no item repeats).
The learning-rate schedule depends on --steps only; --minutes stops early (then the run is cut,
which the log and the model card say). Every --val-every steps the log reports teacher-forced
validation metrics (CE, answer-token accuracy, mask IoU) on the first --val-n val-split items.

Writes DIR/pixellm/ (config.json, model.safetensors with the LLM and projectors in f16 and the mask
head in f32, tokenizer files) and DIR/clip-vit/ (the fixed tower, f32), the layout build.py writes
and `pixellm convert --checkpoint DIR/pixellm --clip DIR/clip-vit` reads; plus DIR/train-log.jsonl.
"""
import argparse
import json
import math
import os
import shutil
import sys
import time

import torch

from . import build, checkpoint
from .clip import ClipVisionModel
from .config import ClipVisionConfig, PixelLMConfig
from .image import preprocess
from .model import PixelLMForCausalLM
from .safetensors_io import write_safetensors
from .shapes_tower import check_identity, clip_vision_overrides, features, fixed_state
from .synth.dataset import make_item
from .tokenizer import Tokenizer, default_tokenizer_path, layout_7b
from .train_forward import Example, contiguous_gelu_grads, forward

SHAPES_LLM = {"hidden_size": 256, "intermediate_size": 688, "num_attention_heads": 4, "num_key_value_heads": 4,
              "num_hidden_layers": 4, "out_dim": 64, "mask_decoder_mlp_dim": 256}
STORED_F16_PREFIXES = build.STORED_DTYPE_PREFIXES   # LLM and projectors in f16, mask head f32


def make_configs(overrides):
    llm = dict(SHAPES_LLM)
    vision = dict(build.clip_config_dict(clip_vision_overrides())["vision_config"])
    build._apply_overrides(llm, vision, overrides)
    clip_dict = build.clip_config_dict(vision)
    clip_cfg = ClipVisionConfig.from_dict(clip_dict)
    cfg_dict = build.pixellm_config_dict(llm, clip_cfg.hidden_size, "float16")
    return cfg_dict, clip_dict, PixelLMConfig.from_dict(cfg_dict), clip_cfg


def to_example(tok, item):
    pre = preprocess(item.image)
    return Example(pixels=pre.pixels, input_size=pre.input_size, original_size=pre.original_size,
                   token_mask=pre.masks["token"], prompt_ids=tok.build_prompt_ids(item.question),
                   answer_ids=tok.encode_answer(item.answer), masks=torch.from_numpy(item.masks).float())


def batch_features(clip, examples):
    with torch.no_grad():
        return features(clip, torch.cat([ex.pixels for ex in examples]))           # [B,1024,Cv]


def lr_at(step, steps, peak, warmup):
    """Linear warm-up, then cosine decay to 10% of the peak at the last step."""
    if step < warmup:
        return peak * (step + 1) / warmup
    t = (step - warmup) / max(1, steps - warmup)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, t))))


def mask_iou(logits, masks):
    inter = ((logits > 0) & (masks > 0.5)).flatten(1).sum(1).float()
    union = ((logits > 0) | (masks > 0.5)).flatten(1).sum(1).float()
    return (inter / union.clamp(min=1)).tolist()


@torch.no_grad()
def validate(model, cfg, tok, clip, val_examples, batch):
    model.eval()
    ce_sum, correct, count, ious = 0.0, 0, 0, []
    for s in range(0, len(val_examples), batch):
        exs = val_examples[s:s + batch]
        out = forward(model, cfg, tok.seg_ids, batch_features(clip, exs), exs)
        ce_sum += float(out.ce) * out.token_count
        correct += out.token_correct
        count += out.token_count
        for ex, logits in zip(exs, out.mask_logits):
            ious += mask_iou(logits, ex.masks) if ex.masks.shape[0] else []
    model.train()
    return {"val_ce": ce_sum / count, "val_token_acc": correct / count,
            "val_mask_iou": sum(ious) / max(1, len(ious)), "val_masks": len(ious)}


def write_checkpoint(out, model, clip, cfg_dict, clip_dict, tokenizer_path, meta):
    """DIR/pixellm + DIR/clip-vit, written to a temporary sibling, loaded back strictly, renamed."""
    out = os.path.abspath(out)
    tmp = f"{out}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    model_dir, clip_dir = os.path.join(tmp, build.MODEL_DIRNAME), os.path.join(tmp, build.CLIP_DIRNAME)
    os.makedirs(model_dir)
    os.makedirs(clip_dir)
    tensors = {k: (v.half() if k.startswith(STORED_F16_PREFIXES) else v.float()).contiguous()
               for k, v in model.state_dict().items()}
    write_safetensors(os.path.join(model_dir, "model.safetensors"), tensors, meta)
    build._write_json(os.path.join(model_dir, "config.json"), cfg_dict)
    build._write_tokenizer_files(model_dir, tokenizer_path)
    write_safetensors(os.path.join(clip_dir, "model.safetensors"),
                      {k: v.contiguous() for k, v in clip.state_dict().items()}, {"format": "pt"})
    build._write_json(os.path.join(clip_dir, "config.json"), clip_dict)
    checkpoint.load(model_dir, clip_dir)
    for name in (build.MODEL_DIRNAME, build.CLIP_DIRNAME):
        final = os.path.join(out, name)
        os.makedirs(out, exist_ok=True)
        shutil.rmtree(final, ignore_errors=True)
        os.rename(os.path.join(tmp, name), final)
    shutil.rmtree(tmp, ignore_errors=True)


def train(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    tokenizer_path = args.tokenizer or default_tokenizer_path()
    build._check_tokenizer(tokenizer_path)
    tok = Tokenizer(tokenizer_path, layout_7b())
    cfg_dict, clip_dict, cfg, clip_cfg = make_configs(args.overrides)

    model = PixelLMForCausalLM(cfg)
    model.load_state_dict(build.random_state_dict(model, args.seed))
    contiguous_gelu_grads(model)
    clip = ClipVisionModel(clip_cfg)
    clip.load_state_dict(build.random_state_dict(clip, args.seed + 1))   # q/k/v, fc1, norms: immaterial
    fixed_state(clip)
    clip.eval()
    for p in clip.parameters():
        p.requires_grad_(False)

    val_examples = [to_example(tok, make_item("val", args.seed, i)) for i in range(args.val_n)]
    with torch.no_grad():
        check_identity(clip, val_examples[0].pixels, torch.ones(1025, dtype=torch.bool), cfg.mm_vision_select_layer)

    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=args.lr, betas=(0.9, 0.95), weight_decay=0.0)
    os.makedirs(args.out, exist_ok=True)
    log_path = os.path.join(args.out, "train-log.jsonl")
    log = open(log_path, "a")

    def emit(rec):
        line = json.dumps(rec, sort_keys=True)
        print(line, flush=True)
        log.write(line + "\n")
        log.flush()

    n_params = sum(p.numel() for p in params)
    emit({"event": "start", "seed": args.seed, "steps": args.steps, "batch": args.batch, "lr": args.lr,
          "params": n_params, "config": SHAPES_LLM, "overrides": args.overrides, "threads": args.threads})
    t0 = time.time()
    step, stopped_early = 0, False
    model.train()
    acc = {"loss": 0.0, "ce": 0.0, "bce": 0.0, "dice": 0.0, "n": 0}
    while step < args.steps:
        if args.minutes and time.time() - t0 > args.minutes * 60:
            stopped_early = True
            break
        lr = lr_at(step, args.steps, args.lr, args.warmup)
        for g in opt.param_groups:
            g["lr"] = lr
        exs = [to_example(tok, make_item("train", args.seed, step * args.batch + r)) for r in range(args.batch)]
        out = forward(model, cfg, tok.seg_ids, batch_features(clip, exs), exs)
        opt.zero_grad(set_to_none=True)
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        step += 1
        for k in ("loss", "ce", "bce", "dice"):
            acc[k] += float(getattr(out, k))
        acc["n"] += 1
        if step % args.log_every == 0:
            emit({"event": "train", "step": step, "lr": lr, "seconds": round(time.time() - t0, 1),
                  **{k: round(acc[k] / acc["n"], 4) for k in ("loss", "ce", "bce", "dice")}})
            acc = {"loss": 0.0, "ce": 0.0, "bce": 0.0, "dice": 0.0, "n": 0}
        if step % args.val_every == 0 or step == args.steps:
            emit({"event": "val", "step": step, "seconds": round(time.time() - t0, 1),
                  **validate(model, cfg, tok, clip, val_examples, args.batch)})
        if step % args.save_every == 0:
            write_checkpoint(args.out, model, clip, cfg_dict, clip_dict, tokenizer_path,
                             {"format": "pt", "pixellm_ref.train.step": str(step)})
    model.eval()
    meta = {"format": "pt", "pixellm_ref.train.seed": str(args.seed), "pixellm_ref.train.step": str(step),
            "pixellm_ref.train.steps": str(args.steps), "pixellm_ref.train.batch": str(args.batch)}
    write_checkpoint(args.out, model, clip, cfg_dict, clip_dict, tokenizer_path, meta)
    emit({"event": "done", "step": step, "stopped_early": stopped_early, "seconds": round(time.time() - t0, 1),
          **validate(model, cfg, tok, clip, val_examples, args.batch)})
    log.close()


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m pixellm_ref.train", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--minutes", type=float, default=0, help="stop after this many minutes (0: no limit)")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--log-every", type=int, default=10)
    ap.add_argument("--val-every", type=int, default=200)
    ap.add_argument("--val-n", type=int, default=32)
    ap.add_argument("--save-every", type=int, default=500)
    ap.add_argument("--tokenizer", help="LLaMA tokenizer.model (default: $PIXELLM_LLAMA_TOKENIZER or .deps)")
    ap.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=JSON",
                    help="override a config value, e.g. num_hidden_layers=3 or clip.num_hidden_layers=11")
    args = ap.parse_args(argv)
    try:
        train(args)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
