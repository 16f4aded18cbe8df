import copy

import pytest
import torch

from pixellm_ref.generate import generate, splice
from pixellm_ref.image import validity_masks
from pixellm_ref.llama import forward_llm, rope_tables, rotate_half


@pytest.fixture(scope="module")
def prompt(tiny):
    """Spliced embeddings of a real prompt with random image tokens and the 640x480 holes."""
    ids = tiny.tokenizer.build_prompt_ids("Where is the cat?")
    image = torch.randn(1, 256, tiny.config.hidden_size, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        embeds, key_valid = splice(tiny.model, ids, image, validity_masks(336, 448)["token"])
    return ids, embeds, key_valid


def test_splice_layout(tiny, prompt):
    ids, embeds, key_valid = prompt
    k = ids.index(-200)
    assert embeds.shape == (1, len(ids) + 255, tiny.config.hidden_size)
    assert key_valid[:k].all() and key_valid[k + 256:].all()
    assert int(key_valid[k:k + 256].sum()) == 192
    emb = tiny.model.model.embed_tokens.weight
    assert torch.equal(embeds[0, k - 1], emb[32001]) and torch.equal(embeds[0, k + 256], emb[32002])


@torch.no_grad()
def test_kv_cache_equals_recomputation(tiny, prompt):
    """§6.2: the original recomputes everything each step; a cache must match it."""
    _, embeds, key_valid = prompt
    cached = generate(tiny.model, embeds, key_valid, max_new_tokens=8, use_cache=True)
    full = generate(tiny.model, embeds, key_valid, max_new_tokens=8, use_cache=False)
    assert cached.ids == full.ids and len(cached.ids) == 8
    assert torch.allclose(cached.logits, full.logits, atol=1e-5, rtol=0)
    assert cached.hidden.shape == full.hidden.shape == (1, embeds.shape[1] + 7, tiny.config.hidden_size)
    assert torch.allclose(cached.hidden, full.hidden, atol=1e-5, rtol=0)
    forced = [450, 6635, 32003, 32004, 2]
    fc = generate(tiny.model, embeds, key_valid, forced=forced, use_cache=True)
    ff = generate(tiny.model, embeds, key_valid, forced=forced, use_cache=False)
    assert fc.ids == ff.ids == forced
    assert torch.allclose(fc.logits, ff.logits, atol=1e-5, rtol=0)
    assert torch.allclose(fc.hidden, ff.hidden, atol=1e-5, rtol=0)


@torch.no_grad()
def test_masked_image_slots_are_holes(tiny, prompt):
    """Masked image tokens are never attended (§5.4): changing them leaves every other row unchanged."""
    ids, embeds, key_valid = prompt
    changed = embeds.clone()
    holes = ~key_valid
    changed[0, holes] = torch.randn(int(holes.sum()), embeds.shape[-1])
    a, _ = forward_llm(tiny.model.model, tiny.config, embeds, key_valid)
    b, _ = forward_llm(tiny.model.model, tiny.config, changed, key_valid)
    assert torch.equal(a[0, key_valid], b[0, key_valid])
    assert not torch.allclose(a[0, holes], b[0, holes])


def test_rope_is_relative():
    """q(p)·k(p') depends only on p - p' (HF rotate-half layout)."""
    g = torch.Generator().manual_seed(0)
    q, k = torch.randn(16, generator=g), torch.randn(16, generator=g)
    cos, sin = rope_tables(16, torch.arange(40))
    rot = lambda x, p: x * cos[p] + rotate_half(x) * sin[p]
    assert torch.equal(rot(q, 0), q)
    assert torch.allclose(rot(q, 5) @ rot(k, 2), rot(q, 33) @ rot(k, 30), atol=1e-5)


def _head_on_last_state(tiny, embeds, key_valid, rows):
    """A copy of the model whose lm_head scores |h|^2 > 0 for `rows` and 0 for every other id at
    the first generation step (h = the last prompt state)."""
    model = copy.deepcopy(tiny.model)
    hidden, _ = forward_llm(model.model, tiny.config, embeds, key_valid)
    model.lm_head.weight.zero_()
    for r in rows:
        model.lm_head.weight[r] = hidden[0, -1]
    return model


@torch.no_grad()
def test_argmax_ties_go_to_the_lowest_id(tiny, prompt):
    _, embeds, key_valid = prompt
    assert generate(_head_on_last_state(tiny, embeds, key_valid, []), embeds, key_valid, 1).ids == [0]
    tied = generate(_head_on_last_state(tiny, embeds, key_valid, [9, 7]), embeds, key_valid, 1)
    assert tied.logits[0, 7] == tied.logits[0, 9] > 0 and tied.ids == [7]


@torch.no_grad()
def test_stops_at_eos(tiny, prompt):
    _, embeds, key_valid = prompt
    out = generate(_head_on_last_state(tiny, embeds, key_valid, [2]), embeds, key_valid, max_new_tokens=5)
    assert out.ids == [2] and out.logits.shape == (1, tiny.config.vocab_size)
    assert out.hidden.shape[1] == embeds.shape[1]          # s[0..T-2]: the prompt only
