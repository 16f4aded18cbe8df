"""Training path: the fixed tower, and the teacher-forced training forward against the pipeline."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from pixellm_ref import build, pipeline, train
from pixellm_ref.checkpoint import Loaded
from pixellm_ref.clip import ClipVisionModel
from pixellm_ref.model import PixelLMForCausalLM
from pixellm_ref.shapes_tower import _cell_weights, check_identity, features, fixed_state
from pixellm_ref.synth.dataset import make_item
from pixellm_ref.tokenizer import Tokenizer, layout_7b
from pixellm_ref.train_forward import contiguous_gelu_grads, forward

SMALL = ["hidden_size=64", "intermediate_size=192", "num_hidden_layers=2", "out_dim=64",
         "mask_decoder_mlp_dim=128"]


@pytest.fixture(scope="module")
def small(tokenizer_path):
    cfg_dict, clip_dict, cfg, clip_cfg = train.make_configs(SMALL)
    model = PixelLMForCausalLM(cfg)
    model.load_state_dict(build.random_state_dict(model, 0))
    model.eval()
    clip = ClipVisionModel(clip_cfg)
    clip.load_state_dict(build.random_state_dict(clip, 1))
    fixed_state(clip).eval()
    tok = Tokenizer(tokenizer_path, layout_7b())
    return Loaded(model=model, clip=clip, tokenizer=tok, config=cfg, clip_config=clip_cfg, model_dir="", clip_dir="")


def test_cell_weights_partition_each_patch_pixel():
    w = _cell_weights(14)                       # [4,14]: cells of 3.5 px
    assert torch.allclose(w.sum(1), torch.ones(4))
    assert torch.allclose((w * 3.5).sum(0), torch.ones(14))


def test_fixed_tower_layers_are_identities_and_features_keep_colour(small):
    item = make_item("val", 0, 0)
    ex = train.to_example(small.tokenizer, item)
    with torch.no_grad():
        check_identity(small.clip, ex.pixels, torch.ones(1025, dtype=torch.bool), -2)
        f = features(small.clip, ex.pixels)[0]                           # [1024,64]
    # a patch fully inside an object: the 16 cells of each colour channel agree with each other
    mask = item.masks[0] if len(item.masks) else None
    if mask is not None:
        ys, xs = np.nonzero(mask)
        r, c = int(ys.mean()) * 2 // 14, int(xs.mean()) * 2 // 14
        cells = f[32 * r + c, :48].view(16, 3)
        assert float(cells.std(0).max()) < 0.3


def test_training_forward_matches_the_pipeline(small):
    """The teacher-forced training forward computes the same answer logits and mask logits as the
    inference pipeline with the answer forced (f32 both; batched one-pass vs cached step-by-step
    evaluation differ by rounding only)."""
    tok, cfg = small.tokenizer, small.config
    items = [it for it in (make_item("val", 0, i) for i in range(12)) if len(it.masks)][:2]
    exs = [train.to_example(tok, it) for it in items]
    with torch.no_grad():
        out = forward(small.model, cfg, tok.seg_ids, train.batch_features(small.clip, exs), exs)
    ce = []
    for it, ex, logits in zip(items, exs, out.mask_logits):
        ref = pipeline.segment(small, it.image, it.question, forced_answer=it.answer)
        assert ref.logits.shape == logits.shape == (len(it.masks), 224, 224)
        assert torch.allclose(ref.logits, logits, atol=2e-4, rtol=1e-4)
        ce.append(F.cross_entropy(ref.tensors["gen.logits"], torch.tensor(ex.answer_ids), reduction="sum"))
    assert float(out.ce) == pytest.approx(float(sum(ce)) / out.token_count, rel=1e-5)


def test_a_training_step_lowers_the_loss_and_keeps_gradients_finite(small):
    model = PixelLMForCausalLM(small.config)
    model.load_state_dict(small.model.state_dict())
    contiguous_gelu_grads(model)
    tok = small.tokenizer
    exs = [train.to_example(tok, make_item("train", 0, i)) for i in range(3)]
    feats = train.batch_features(small.clip, exs)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = []
    for _ in range(3):
        out = forward(model, small.config, tok.seg_ids, feats, exs)
        opt.zero_grad()
        out.loss.backward()
        assert all(torch.isfinite(p.grad).all() for p in model.parameters() if p.grad is not None)
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1e9)
        assert float(norm) < 1e4          # without contiguous_gelu_grads torch 1.13 gives ~1e19
        opt.step()
        losses.append(float(out.loss))
    assert losses[-1] < losses[0]
