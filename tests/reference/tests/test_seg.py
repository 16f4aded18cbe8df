import torch

from pixellm_ref.seg import COMPLETE_GROUPS, ORIGINAL, fuse, seg_mask, select_states

SEG = list(range(32003, 32009))


def test_255_offset_on_a_constructed_sequence():
    """s = [BOS, 10, 11, -200, 12 | generated: x=20, SEG0..SEG5, 21, </s>].
    Token t after the image sits at hidden position t + 255; it is selected iff s[t+1] is a SEG."""
    s = [1, 10, 11, -200, 12, 20] + SEG + [21, 2]
    m = seg_mask(s, SEG)
    assert m.shape == (len(s) + 254,)
    assert torch.nonzero(m).flatten().tolist() == [t + 255 for t in range(5, 11)]   # x, SEG0..SEG4
    assert not m[11 + 255]                                                          # SEG5's own state


def test_seg_in_the_prompt_is_gathered_by_the_original_rule():
    """§13.4: positions are purely positional; a SEG id right after the image is picked up too."""
    s = [1, -200, 32003, 5, 6]
    assert torch.nonzero(seg_mask(s, SEG)).flatten().tolist() == [256]   # m[p] = [s[p-254] in SEG]


def test_group_rules():
    mask = torch.zeros(400, dtype=torch.bool)
    mask[300:307] = True                                        # K = 7
    orig = select_states(mask, 3, 2, ORIGINAL)
    assert (orig.kept, orig.incomplete) == (0, 1)
    prod = select_states(mask, 3, 2, COMPLETE_GROUPS)
    assert (prod.kept, prod.incomplete) == (6, 1)
    assert prod.positions.tolist() == list(range(300, 307))
    mask[307:312] = True                                        # K = 12
    assert select_states(mask, 3, 2, ORIGINAL).kept == 12


def test_fuse_order_and_constants():
    """E[n,s,j] = e[6n+3s+j]; Q = (((0*E0) + a*E0) + a*E1) + a*E2 with a = fp32(1/3)."""
    e = torch.arange(12, dtype=torch.float32)[:, None].repeat(1, 4)   # row k = k
    q = fuse(e, 3, 2)
    assert q.shape == (2, 2, 4)
    a = torch.tensor(1 / 3, dtype=torch.float32)
    assert a.item() == 0.3333333432674408
    for n in range(2):
        for s in range(2):
            base = torch.tensor(0.0)
            for j in range(3):
                base = base + a * torch.tensor(float(6 * n + 3 * s + j))
            assert torch.equal(q[n, s], base.repeat(4))


def test_end_to_end_selection(forced_result):
    """'The cat [SEG0..5] and the dog [SEG0..5].': the first selected state is the one of 'cat'."""
    r = forced_result
    pos = r.seg.positions.tolist()
    assert len(pos) == 12 and r.seg.kept == 12
    cat_index = r.sequence.index(32003) - 1
    assert r.sequence[cat_index] == 6635 and pos[0] == cat_index + 255
    assert r.tensors["seg.hidden"].shape == (12, r.tensors["llm.hidden"].shape[-1])
    assert torch.equal(r.tensors["seg.hidden"], r.tensors["llm.hidden"][0, pos])
