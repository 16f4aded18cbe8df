import json
import os

import torch

from pixellm_ref import fixtures
from pixellm_ref.safetensors_io import read_safetensors

from conftest import FORCED, QUESTION


def _run(tiny_dirs, images, out, *extra):
    argv = ["--model", tiny_dirs[0], "--clip", tiny_dirs[1], "--image", images["photo_exif6"],
            "--question", QUESTION, "--out", str(out), *extra]
    assert fixtures.main(argv) == 0
    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    return manifest, read_safetensors(os.path.join(out, "tensors.safetensors"))[0]


def test_fixture_files(tiny_dirs, images, tmp_path, forced_result):
    manifest, tensors = _run(tiny_dirs, images, tmp_path / "fx", "--forced-answer", FORCED)
    assert sorted(manifest["tensors"]) == sorted(tensors)
    for name, t in tensors.items():
        entry = manifest["tensors"][name]
        assert entry["shape"] == list(t.shape) and entry["spec"].startswith("§") and entry["compare"], name
        assert torch.equal(t, forced_result.tensors[name].contiguous()), name
    assert manifest["prompt_ids"] == forced_result.prompt_ids
    assert manifest["generated_ids"] == forced_result.generated_ids
    assert manifest["image"] == {"path": images["photo_exif6"], "original_size": [640, 480], "input_size": [448, 336]}
    assert manifest["seg"]["num_masks"] == 2 and manifest["quant"] is None
    assert manifest["config"]["hidden_size"] == 64 and manifest["clip_config"]["num_hidden_layers"] == 12


def test_quantized_greedy_fixture(tiny_dirs, images, tmp_path, tiny):
    manifest, tensors = _run(tiny_dirs, images, tmp_path / "q", "--quant", "q8_0", "--max-new-tokens", "3")
    assert manifest["quant"] == "q8_0" and len(manifest["generated_ids"]) <= 3
    assert tensors["gen.logits"].shape[0] == len(manifest["generated_ids"])
    assert tensors["masks.logits"].shape == (0, 640, 480)
    # The shared model was not modified: the quantization happened on a private load.
    assert tiny.model.model.embed_tokens.weight.dtype == torch.float32


def test_cli_error(tmp_path, capsys):
    assert fixtures.main(["--model", str(tmp_path / "none"), "--image", "x", "--question", "q",
                          "--out", str(tmp_path / "o")]) == 2
    assert "error:" in capsys.readouterr().err and not os.path.exists(tmp_path / "o")
