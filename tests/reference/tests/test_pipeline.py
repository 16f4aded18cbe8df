import pytest
import torch

from pixellm_ref import pipeline
from pixellm_ref.seg import COMPLETE_GROUPS

from conftest import FORCED, QUESTION


def test_stage_shapes(tiny, forced_result):
    r, cfg, cv = forced_result, tiny.config, tiny.clip_config
    d, c, vis = cfg.hidden_size, cfg.out_dim, cv.hidden_size
    length = len(r.prompt_ids) + 255
    total = len(r.sequence) + 254
    n_gen, n = len(r.generated_ids), 2
    expected = {
        "image.rgb": (640, 480, 3), "image.resized": (448, 336, 3), "image.pixels": (1, 3, 448, 448),
        "mask.pixel": (448, 448), "mask.patch": (32, 32), "mask.token": (16, 16), "mask.clip_key": (1025,),
        "clip.position_table": (1025, vis), "clip.hs0": (1, 1025, vis), "clip.hs_deep": (1, 1025, vis),
        "clip.hs_mid": (1, 1025, vis), "proj.pooled": (1, 256, vis), "proj.image_tokens": (1, 256, d),
        "proj.mask_features": (2, 1024, d), "prompt.ids": (len(r.prompt_ids),),
        "llm.input_embeds": (1, length, d), "llm.key_valid": (length,),
        "gen.ids": (n_gen,), "gen.logits": (n_gen, cfg.vocab_size), "llm.hidden": (1, total, d),
        "seg.mask": (total,), "seg.positions": (12,), "seg.hidden": (12, d), "seg.text_fcs": (12, c),
        "seg.queries": (n, 2, c), "pe.dense32": (1, c, 32, 32), "pe.dense64": (1, c, 64, 64),
        "pe.no_mask": (1, c), "neck.out": (2, c, 32, 32),
        "decoder.level0.src": (n, c, 32, 32), "decoder.level0.tokens": (n, 6, c),
        "decoder.level0.queries": (n, 6, c), "decoder.level0.keys": (n, 1024, c),
        "decoder.level0.all_masks": (n, 4, 64, 64), "decoder.level0.iou": (n, 4),
        "decoder.level0.masks": (n, 1, 64, 64),
        "decoder.level1.src": (n, c, 64, 64), "decoder.level1.tokens": (n, 6, c),
        "decoder.level1.queries": (n, 6, c), "decoder.level1.keys": (n, 4096, c),
        "decoder.level1.all_masks": (n, 4, 128, 128), "decoder.level1.iou": (n, 4),
        "decoder.level1.masks": (n, 1, 128, 128),
        "masks.fused_lowres": (n, 1, 128, 128), "masks.logits": (n, 640, 480), "masks.binary": (n, 640, 480),
        "masks.scores": (n,),
    }
    assert {k: tuple(v.shape) for k, v in r.tensors.items()} == expected
    assert r.generated_ids == tiny.tokenizer.encode_answer(FORCED)
    assert r.text == "The cat[SEG0][SEG1][SEG2][SEG3][SEG4][SEG5] and the dog[SEG0][SEG1][SEG2][SEG3][SEG4][SEG5] ."


def test_same_input_same_outputs(tiny, images, forced_result):
    again = pipeline.segment(tiny, images["photo_exif6"], QUESTION, forced_answer=FORCED)
    assert again.generated_ids == forced_result.generated_ids
    for k, v in forced_result.tensors.items():
        assert torch.equal(v, again.tensors[k]), k


def test_level1_is_conditioned_on_level0(forced_result):
    """§8.4: level-1 src = (1 + sigma(m0)) * GELU(LN2d(ConvT(Y1))) + dense; the fused map (§8.5)."""
    t = forced_result.tensors
    m0, m1 = t["decoder.level0.masks"], t["decoder.level1.masks"]
    up0 = torch.nn.functional.interpolate(m0, size=(128, 128), mode="bilinear", align_corners=False)
    assert torch.allclose(t["masks.fused_lowres"], 0.5 * up0 + 0.5 * m1, atol=1e-6)
    assert not torch.allclose(t["decoder.level0.queries"][0], t["decoder.level1.queries"][0])


def test_greedy_run_without_seg_has_no_masks(tiny, images):
    r = pipeline.segment(tiny, images["grey"], "What is this?", max_new_tokens=3)
    assert len(r.generated_ids) <= 3 and r.seg.kept == 0
    assert r.masks.shape == (0, 77, 123) and r.scores.shape == (0,)
    assert r.tensors["seg.queries"].shape == (0, 2, tiny.config.out_dim)


@pytest.mark.parametrize("rule, masks, incomplete", [("original", 0, 1), (COMPLETE_GROUPS, 1, 1)])
def test_incomplete_group(tiny, images, rule, masks, incomplete):
    answer = "A [SEG0][SEG1][SEG2][SEG3][SEG4][SEG5] and B [SEG0]"
    r = pipeline.segment(tiny, images["alpha"], "Which?", forced_answer=answer, seg_rule=rule)
    assert r.masks.shape == (masks, 500, 300) and r.seg.incomplete == incomplete
    assert r.seg.positions.numel() == 7
