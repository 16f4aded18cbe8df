"""gIoU / cIoU with MUSE matching, and answer exact match."""
import numpy as np
import pytest

from pixellm_ref.seg_metrics import Scores, answer_text, question_iou


def box(y0, y1, x0, x1, size=20):
    m = np.zeros((size, size), dtype=bool)
    m[y0:y1, x0:x1] = True
    return m


def test_answer_text_drops_codebook_tokens_and_spacing():
    assert answer_text("Sure, the red circle [SEG0][SEG1][SEG2][SEG3][SEG4][SEG5] and the blue square "
                       "[SEG0][SEG1][SEG2][SEG3][SEG4][SEG5].") == "Sure, the red circle and the blue square."
    assert answer_text("the red circle[SEG0][SEG5] .") == "the red circle."


def test_single_target_is_plain_iou():
    i, u = question_iou(np.stack([box(0, 10, 0, 10)]), np.stack([box(0, 10, 5, 15)]))
    assert (i, u) == (50, 150)


def test_matching_ignores_order_and_penalises_missing_and_extra():
    a, b, c = box(0, 5, 0, 5), box(10, 15, 10, 15), box(0, 5, 10, 15)
    assert question_iou(np.stack([b, a]), np.stack([a, b])) == (50, 50)         # order free
    assert question_iou(np.stack([a]), np.stack([a, b])) == (25, 50)            # missing b
    assert question_iou(np.stack([a, b, c]), np.stack([a, b])) == (50, 75)      # extra c
    assert question_iou(np.zeros((0, 20, 20), bool), np.stack([a])) == (0, 25)  # nothing predicted


def test_scores_table():
    s = Scores()
    a, b = box(0, 10, 0, 10), box(10, 20, 10, 20)
    s.add("the a [SEG0].", "the a [SEG0][SEG1].", np.stack([a]), np.stack([a]))            # 1.0, exact
    s.add("the a.", "the b.", np.stack([a]), np.stack([box(0, 10, 0, 5)]))                 # 0.5
    s.add("x", "x", np.stack([a, b]), np.stack([a, b]))                                     # multi 1.0
    s.add("none", "none", np.zeros((1, 20, 20), bool), np.zeros((0, 20, 20), bool))        # empty, wrong
    t = s.table()
    assert t["n"] == 4 and t["exact_match"] == pytest.approx(0.75)
    assert t["gIoU_single"] == pytest.approx(0.75) and t["cIoU_single"] == pytest.approx(150 / 200)
    assert t["gIoU_multi"] == t["cIoU_multi"] == 1.0
    assert (t["n_single"], t["n_multi"], t["n_empty"], t["empty_accuracy"]) == (2, 1, 1, 0.0)
