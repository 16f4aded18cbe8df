"""pixellm_ref.coco_rle: the independent COCO RLE implementation the engine's encoder is checked against."""
import json

import numpy as np
import pytest

from pixellm_ref import coco_rle


def test_known_strings():
    assert coco_rle.to_string(coco_rle.runs(np.array([[0, 1], [0, 0]]))) == "211"   # column-major: 2 off, 1 on, 1 off
    assert coco_rle.to_string([0, 40, 3, 100]) == "0X13l1"   # 40: two groups; 100 - 40 = 60: group with bit 0x10
    assert coco_rle.from_string("0X13l1") == [0, 40, 3, 100]
    assert coco_rle.from_string(coco_rle.to_string([5, 100, 3, 2])) == [5, 100, 3, 2]   # negative difference


@pytest.mark.parametrize("shape,density", [((1, 1), 0.0), ((1, 1), 1.0), ((17, 9), 0.5), ((40, 33), 0.05)])
def test_round_trip(shape, density):
    mask = (np.random.default_rng(0).random(shape) < density).astype(np.uint8)
    assert (coco_rle.decode(coco_rle.to_string(coco_rle.runs(mask)), *shape) == mask).all()


def test_cli_answers_a_request(tmp_path):
    request, response = tmp_path / "request.json", tmp_path / "response.json"
    request.write_text(json.dumps([{"height": 2, "width": 2, "counts": "211"}]))
    assert coco_rle.main(["coco_rle", str(request), str(response)]) == 0
    assert json.loads(response.read_text()) == [{"mask": [[0, 1], [0, 0]], "counts": "211"}]
