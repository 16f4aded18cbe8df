"""Segmentation and answer metrics of the reasoning-segmentation papers (LISA, PixelLM / MUSE).

* gIoU: mean over questions of the question's IoU; cIoU: cumulative intersection over cumulative
  union over all questions.
* A question's IoU with several targets follows MUSE: predicted and ground-truth masks are matched
  one to one (maximum total IoU); the question's intersection is the sum over matched pairs and its
  union adds the full area of every unmatched ground-truth mask (missing) and every unmatched
  predicted mask (extra), so both are penalised. With one target and one prediction it is plain IoU.
* Questions without targets have no IoU; they count in exact match and in `empty_accuracy` (the
  model predicted no mask).
* Exact match compares answers with the codebook tokens removed and whitespace normalised.
"""
import itertools
import re

import numpy as np

_SEG = re.compile(r"\[SEG\d+\]")
BRUTE_FORCE_LIMIT = 7      # optimal matching by enumeration up to this many masks, greedy beyond


def answer_text(answer):
    """Answer without codebook tokens: 'the red circle [SEG0]..[SEG5].' -> 'the red circle.'"""
    text = _SEG.sub(" ", answer)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r" ([.,:;?!])", r"\1", text)


def _pairwise(pred, gt):
    """pred [P,H,W], gt [G,H,W] bool -> intersections, unions [P,G]."""
    p = pred.reshape(pred.shape[0], -1).astype(np.int64)
    g = gt.reshape(gt.shape[0], -1).astype(np.int64)
    inter = p @ g.T
    union = p.sum(1)[:, None] + g.sum(1)[None, :] - inter
    return inter, union


def match(pred, gt):
    """Pairs (i_pred, j_gt) maximising the summed IoU."""
    if len(pred) == 0 or len(gt) == 0:
        return []
    inter, union = _pairwise(pred, gt)
    iou = inter / np.maximum(union, 1)
    p, g = iou.shape
    if max(p, g) <= BRUTE_FORCE_LIMIT:
        if p <= g:
            best = max(itertools.permutations(range(g), p), key=lambda js: sum(iou[i, j] for i, j in enumerate(js)))
            return list(enumerate(best))
        best = max(itertools.permutations(range(p), g), key=lambda is_: sum(iou[i, j] for j, i in enumerate(is_)))
        return [(i, j) for j, i in enumerate(best)]
    pairs, used_p, used_g = [], set(), set()
    for flat in np.argsort(-iou, axis=None):
        i, j = divmod(int(flat), g)
        if i not in used_p and j not in used_g:
            pairs.append((i, j))
            used_p.add(i)
            used_g.add(j)
    return pairs


def question_iou(pred, gt):
    """(intersection, union) of one question after matching; pred [P,H,W], gt [G,H,W] bool, G >= 1."""
    pairs = match(pred, gt)
    inter = union = 0
    if pairs:
        pi, pu = _pairwise(pred, gt)
        inter = sum(int(pi[i, j]) for i, j in pairs)
        union = sum(int(pu[i, j]) for i, j in pairs)
    matched_p = {i for i, _ in pairs}
    matched_g = {j for _, j in pairs}
    union += sum(int(pred[i].sum()) for i in range(len(pred)) if i not in matched_p)
    union += sum(int(gt[j].sum()) for j in range(len(gt)) if j not in matched_g)
    return inter, union


class Scores:
    """Accumulates questions; `table()` gives the metrics."""

    def __init__(self):
        self.groups = {"single": [], "multi": []}     # (inter, union) per question
        self.exact, self.n, self.empty, self.empty_ok = 0, 0, 0, 0

    def add(self, predicted_answer, expected_answer, pred_masks, gt_masks):
        self.n += 1
        self.exact += answer_text(predicted_answer) == answer_text(expected_answer)
        if len(gt_masks) == 0:
            self.empty += 1
            self.empty_ok += len(pred_masks) == 0
            return None
        iu = question_iou(np.asarray(pred_masks, dtype=bool), np.asarray(gt_masks, dtype=bool))
        self.groups["single" if len(gt_masks) == 1 else "multi"].append(iu)
        return iu[0] / max(iu[1], 1)

    def table(self):
        out = {"n": self.n, "exact_match": self.exact / max(self.n, 1),
               "n_empty": self.empty, "empty_accuracy": self.empty_ok / max(self.empty, 1)}
        for name, ius in self.groups.items():
            out[f"n_{name}"] = len(ius)
            out[f"gIoU_{name}"] = float(np.mean([i / max(u, 1) for i, u in ius])) if ius else 0.0
            out[f"cIoU_{name}"] = sum(i for i, _ in ius) / max(1, sum(u for _, u in ius))
        return out
