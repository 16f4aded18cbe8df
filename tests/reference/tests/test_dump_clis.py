"""The small dump CLIs the engine's tests call: position_table (§3.2) and llm_logits (§6.1)."""
import os

import torch

from pixellm_ref import llm_logits, position_table
from pixellm_ref.clip import stretch_position_table
from pixellm_ref.llama import forward_llm
from pixellm_ref.safetensors_io import load_checkpoint_dir, read_safetensors


def test_position_table_cli_writes_the_stretched_table(tiny_dirs, tiny, tmp_path):
    out = str(tmp_path / "pos.safetensors")
    assert position_table.main(["--clip", tiny_dirs[1], "--out", out]) == 0
    table = read_safetensors(out)[0]["position_table"]
    raw = load_checkpoint_dir(tiny_dirs[1])[position_table.TABLE]
    assert table.shape == (1025, 64) and torch.equal(table, stretch_position_table(raw, 14))
    assert torch.equal(table, tiny.clip.vision_model.embeddings.positions().detach())


def test_llm_logits_cli_matches_forward_llm(tiny_dirs, tiny, tmp_path):
    out = str(tmp_path / "logits.safetensors")
    ids = [1, 450, 6635]
    assert llm_logits.main(["--model", tiny_dirs[0], "--ids", ",".join(map(str, ids)), "--out", out]) == 0
    logits = read_safetensors(out)[0]["logits"]
    with torch.no_grad():
        core = tiny.model.model
        hidden, _ = forward_llm(core, tiny.config, core.embed_tokens(torch.tensor(ids))[None], torch.ones(3, dtype=torch.bool))
        expected = tiny.model.lm_head(hidden)[0, -1]
    assert logits.shape == (32009,) and torch.allclose(logits, expected, atol=0, rtol=0)
    assert os.path.getsize(out) > 32009 * 4
