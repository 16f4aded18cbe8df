"""Items of the synthetic task, fixed by (split, seed, index).

Each item is one scene and one question. The generator of item i of a split is seeded with
[SPLIT_IDS[split], seed, i], so the three splits are disjoint random streams: training reads
only "train", model selection "val", and reported scores "test".
"""
from dataclasses import dataclass

import numpy as np

from .questions import KIND_WEIGHTS, KINDS, ask
from .scene import render

SPLIT_IDS = {"train": 0, "val": 1, "test": 2}


@dataclass(frozen=True)
class Item:
    split: str
    seed: int
    index: int
    image: np.ndarray        # [224,224,3] uint8
    kind: str
    question: str
    answer: str              # with the six SEG tokens after every target
    masks: np.ndarray        # [K,224,224] bool, one per target, in answer order (K may be 0)
    names: tuple             # "size colour shape" of each target, in answer order


def make_item(split, seed, index):
    if split not in SPLIT_IDS:
        raise ValueError(f"unknown split {split!r} (choose from {sorted(SPLIT_IDS)})")
    rng = np.random.default_rng([SPLIT_IDS[split], seed, index])
    while True:
        scene = render(rng)
        kind = KINDS[int(rng.choice(len(KINDS), p=KIND_WEIGHTS))]
        q = ask(rng, scene.objects, kind)
        if q is not None:
            break
    masks = np.stack([scene.objects[i].mask for i in q.targets]) if q.targets else \
        np.zeros((0,) + scene.image.shape[:2], dtype=bool)
    return Item(split=split, seed=seed, index=index, image=scene.image, kind=q.kind, question=q.question,
                answer=q.answer, masks=masks, names=tuple(scene.objects[i].name for i in q.targets))


def items(split, seed, n, start=0):
    return [make_item(split, seed, i) for i in range(start, start + n)]
