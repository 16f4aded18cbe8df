"""Next-token logits of the reference LLaMA (§6.1) for a list of token ids, for engines to compare against.

    /usr/bin/python3 -m pixellm_ref.llm_logits --model DIR --ids 1,450,6635 --out FILE.safetensors

writes one f32 tensor `logits` [V]: lm_head of the last position's post-norm hidden state, no image.
"""
import argparse
import sys

import torch

from . import checkpoint
from .llama import forward_llm
from .safetensors_io import write_safetensors


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m pixellm_ref.llm_logits", description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True, help="PixelLM checkpoint directory (its CLIP is resolved as usual)")
    ap.add_argument("--ids", required=True, help="comma-separated token ids")
    ap.add_argument("--out", required=True, help="output safetensors file")
    args = ap.parse_args(argv)
    loaded = checkpoint.load(args.model)
    ids = torch.tensor([int(i) for i in args.ids.split(",")])
    model = loaded.model
    with torch.no_grad():
        embeds = model.model.embed_tokens(ids)[None]                                   # [1,T,D]
        hidden, _ = forward_llm(model.model, loaded.config, embeds, torch.ones(len(ids), dtype=torch.bool))
        logits = model.lm_head(hidden)[0, -1].contiguous()                              # [V]
    write_safetensors(args.out, {"logits": logits})
    return 0


if __name__ == "__main__":
    sys.exit(main())
