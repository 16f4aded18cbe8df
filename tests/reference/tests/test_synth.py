"""The synthetic shapes task: determinism, exact masks, well-formed answers, every question kind."""
import collections
import json
import re

import numpy as np
import pytest
from PIL import Image

from pixellm_ref.seg_metrics import answer_text
from pixellm_ref.synth import export, questions, scene
from pixellm_ref.synth.dataset import make_item

SEG_RUN = questions.SEG_RUN
N = 120


@pytest.fixture(scope="module")
def train_items():
    return [make_item("train", 0, i) for i in range(N)]


def test_items_are_a_pure_function_of_split_seed_index():
    a, b = make_item("val", 3, 17), make_item("val", 3, 17)
    assert np.array_equal(a.image, b.image) and np.array_equal(a.masks, b.masks)
    assert (a.question, a.answer, a.names) == (b.question, b.answer, b.names)


def test_splits_and_seeds_are_different_streams():
    images = [make_item(s, seed, 0).image for s, seed in (("train", 0), ("val", 0), ("test", 0), ("test", 1))]
    for i in range(len(images)):
        for j in range(i + 1, len(images)):
            assert not np.array_equal(images[i], images[j])


def test_unknown_split_is_refused():
    with pytest.raises(ValueError, match="unknown split 'dev'"):
        make_item("dev", 0, 0)


def test_masks_are_exact_visible_pixels_and_disjoint():
    rng = np.random.default_rng(5)
    for _ in range(10):
        s = scene.render(rng)
        union = np.zeros(s.image.shape[:2], dtype=int)
        for obj in s.objects:
            union += obj.mask
            assert obj.area == int(obj.mask.sum()) > 0
            ys, xs = np.nonzero(obj.mask)
            assert obj.cx == pytest.approx(xs.mean() + 0.5) and obj.cy == pytest.approx(ys.mean() + 0.5)
            # pixels under the mask carry the object's colour (flat colour + light noise)
            mean = s.image[obj.mask].astype(float).mean(0)
            assert np.abs(mean - np.array(scene.COLOURS[obj.colour])).max() < 25
        assert union.max() <= 1                      # occluded pixels belong to the top object only


def test_shape_masks_have_the_area_of_their_size_class():
    for shape in scene.SHAPES:
        m = scene.shape_mask(shape, 112.0, 112.0, 30.0, 0.1)
        assert m.sum() == pytest.approx(np.pi * 30 ** 2, rel=0.03)


def test_answers_are_well_formed(train_items):
    for item in train_items:
        runs = item.answer.count(SEG_RUN)
        assert runs == len(item.masks) == len(item.names)
        assert item.answer.count("[SEG") == 6 * runs                 # SEG tokens only in complete runs
        for name in item.names:                                     # every target named before its run
            assert f"the {name} {SEG_RUN}" in item.answer
        assert item.answer.endswith(".")
        assert "[SEG" not in item.question
        assert all(m.sum() > 0 for m in item.masks)


def test_several_targets_are_listed_left_to_right(train_items):
    multi = [it for it in train_items if len(it.masks) >= 2]
    assert multi
    for it in multi:
        xs = [np.nonzero(m)[1].mean() for m in it.masks]
        assert xs == sorted(xs)


def test_every_kind_occurs_and_no_target_answers_name_nothing(train_items):
    kinds = collections.Counter(it.kind for it in train_items)
    assert set(kinds) == set(questions.KINDS)
    empty = [it for it in train_items if len(it.masks) == 0]
    assert {it.kind for it in empty} >= {"absent"}
    for it in empty:
        assert re.match(r"^(There (is|are) no |Nothing is |No other shape )", it.answer), it.answer
    assert len(empty) / N < 0.4 and sum(len(it.masks) >= 2 for it in train_items) / N > 0.15


def test_referring_descriptions_are_unique():
    rng = np.random.default_rng(11)
    for _ in range(40):
        s = scene.render(rng)
        q = questions.ask(rng, s.objects, "refer")
        if q is None:
            continue
        desc = re.search(r"the ([a-z ]+?)(\.| in this image|\?)", q.question).group(1)
        assert sum(questions._matches(o, desc) for o in s.objects) == 1


def test_export_writes_images_masks_and_answers(tmp_path):
    out = tmp_path / "data"
    export.export("test", 0, 4, str(out))
    doc = json.loads((out / "items.json").read_text())
    assert doc["format"] == export.FORMAT and doc["n"] == 4 and len(doc["items"]) == 4
    for rec in doc["items"]:
        item = make_item("test", 0, rec["index"])
        assert np.array_equal(np.asarray(Image.open(out / rec["image"])), item.image)
        assert rec["answer"] == item.answer and rec["answer_text"] == answer_text(item.answer)
        for target, mask in zip(rec["targets"], item.masks):
            assert np.array_equal(np.asarray(Image.open(out / target["mask"])) > 127, mask)
    with pytest.raises(ValueError, match="not empty"):
        export.export("test", 0, 1, str(out))
