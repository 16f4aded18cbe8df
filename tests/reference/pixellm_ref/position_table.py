"""Dump the stretched CLIP position table of §3.2 for engines to compare against.

    /usr/bin/python3 -m pixellm_ref.position_table --clip DIR --out FILE.safetensors

writes one f32 tensor `position_table` [1 + g1², C], computed by clip.stretch_position_table from
DIR's vision_model.embeddings.position_embedding.weight.
"""
import argparse
import os
import sys

from .clip import stretch_position_table
from .config import ClipVisionConfig, read_json
from .safetensors_io import load_checkpoint_dir, write_safetensors

TABLE = "vision_model.embeddings.position_embedding.weight"


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m pixellm_ref.position_table", description=__doc__.split("\n\n")[0])
    ap.add_argument("--clip", required=True, help="CLIP checkpoint directory")
    ap.add_argument("--out", required=True, help="output safetensors file")
    args = ap.parse_args(argv)
    cfg = ClipVisionConfig.from_dict(read_json(os.path.join(args.clip, "config.json")), args.clip)
    table = load_checkpoint_dir(args.clip)[TABLE].float()
    write_safetensors(args.out, {"position_table": stretch_position_table(table, cfg.patch_size).contiguous()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
