"""Questions about a scene and their PixelLM-style answers.

Every target object in an answer is written as "the <size> <colour> <shape>" followed by the six
codebook tokens (SEG_RUN), as PixelLM's answers are; several targets are listed left to right
(by the centroid of their visible pixels). Kinds:

  refer       "Segment the small red triangle."          one target, named by a unique description
  absent      "Segment the purple circle."                none: the described object is not there
  attribute   "Which shapes are blue?"                    all objects of a colour / shape / size
  relation    "What is left of the green square?"         objects on one side of a reference
  superlative "Which object is the largest?"              one target by area or position
  share       "Which shapes share a colour with the circle?"  same colour as the reference
  count       "How many triangles are there?"             a number, then every counted object

Answers never depend on an ambiguous judgement: relations need a clear gap, superlatives a clear
winner; a question that cannot be asked cleanly of a scene is not asked (the caller draws again).
"""
from dataclasses import dataclass

from .scene import COLOURS, SHAPES, SIZES

SEG_RUN = "[SEG0][SEG1][SEG2][SEG3][SEG4][SEG5]"
KINDS = ("refer", "absent", "attribute", "relation", "superlative", "share", "count")
KIND_WEIGHTS = (0.22, 0.10, 0.16, 0.16, 0.10, 0.10, 0.16)
RELATION_GAP = 12.0      # px between centroids for "left of" etc.; closer objects make the question void
RELATION_CLEAR = 4.0     # objects within this many px on the wrong side are not "left of"
SUPERLATIVE_MARGIN = 1.3  # the largest must be 1.3x the runner-up (smallest: 1/1.3)
POSITION_MARGIN = 12.0   # the leftmost must lead the runner-up by 12 px
PRESENT_BIAS = 0.85      # attribute / count questions ask about a value the scene has this often
NUMBERS = ("no", "one", "two", "three", "four", "five", "six")
PLURAL = {"circle": "circles", "square": "squares", "triangle": "triangles", "hexagon": "hexagons"}


@dataclass(frozen=True)
class Question:
    kind: str
    question: str
    answer: str              # with SEG_RUN after each target
    targets: tuple           # indices into scene.objects, in answer order


def target_phrase(obj):
    return f"the {obj.name} {SEG_RUN}"


def listing(objects, indices):
    """'the A [SEG..]', 'the A [SEG..] and the B [SEG..]', 'the A [SEG..], the B [SEG..] and ...'."""
    phrases = [target_phrase(objects[i]) for i in indices]
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]


def left_to_right(objects, indices):
    return tuple(sorted(indices, key=lambda i: (objects[i].cx, objects[i].cy)))


def _pick(rng, options):
    return options[int(rng.integers(len(options)))]


def _descriptions(obj):
    return [obj.shape, f"{obj.colour} {obj.shape}", f"{obj.size} {obj.shape}", obj.name]


def _matches(obj, desc):
    words = desc.split()
    return obj.shape == words[-1] and all(w in (obj.colour, obj.size) for w in words[:-1])


def unique_descriptions(objects, i):
    return [d for d in _descriptions(objects[i]) if sum(_matches(o, d) for o in objects) == 1]


def _refer(rng, objects):
    i = int(rng.integers(len(objects)))
    descs = unique_descriptions(objects, i)
    if not descs:
        return None
    d = _pick(rng, descs)
    q = _pick(rng, ("Segment the {d}.", "Please segment the {d}.", "Where is the {d}?",
                    "Can you find the {d} in this image?", "Show me the {d}.")).format(d=d)
    return Question("refer", q, f"Sure, it is {target_phrase(objects[i])}.", (i,))


def _absent(rng, objects):
    for _ in range(10):
        words = [_pick(rng, list(COLOURS)), _pick(rng, SHAPES)]
        if rng.random() < 0.3:
            words.insert(0, _pick(rng, list(SIZES)))
        d = " ".join(words)
        if not any(_matches(o, d) for o in objects):
            q = _pick(rng, ("Segment the {d}.", "Please segment the {d}.", "Where is the {d}?",
                            "Can you find the {d} in this image?", "Show me the {d}.")).format(d=d)
            return Question("absent", q, f"There is no {d} in the image.", ())
    return None


def _value(rng, objects, attr, values):
    """Mostly an attribute value present in the scene (so that most questions have targets)."""
    if rng.random() < PRESENT_BIAS:
        return getattr(_pick(rng, objects), attr)
    return _pick(rng, list(values))


def _attribute(rng, objects):
    attr = _pick(rng, ("colour", "shape", "size"))
    if attr == "colour":
        value = _value(rng, objects, "colour", COLOURS)
        hits = [i for i, o in enumerate(objects) if o.colour == value]
        q = _pick(rng, ("Which shapes are {v}?", "Segment all {v} objects.", "Show me everything that is {v}.",
                        "Find the {v} shapes.")).format(v=value)
        none = f"There are no {value} shapes."
    elif attr == "shape":
        value = _value(rng, objects, "shape", SHAPES)
        hits = [i for i, o in enumerate(objects) if o.shape == value]
        q = _pick(rng, ("Segment all the {p}.", "Where are the {p}?", "Show me every {v}.",
                        "Find all {p} in the picture.")).format(v=value, p=PLURAL[value])
        none = f"There are no {PLURAL[value]}."
    else:
        value = _value(rng, objects, "size", SIZES)
        hits = [i for i, o in enumerate(objects) if o.size == value]
        q = _pick(rng, ("Which objects are {v}?", "Segment every {v} shape.", "Show me the {v} objects.")
                  ).format(v=value)
        none = f"There are no {value} objects."
    if not hits:
        return Question("attribute", q, none, ())
    hits = left_to_right(objects, hits)
    return Question("attribute", q, f"Sure, {listing(objects, hits)}.", hits)


_SIDES = {  # side: (coordinate, sign): object o is on the side when sign*(o - ref) > 0
    "left of": ("cx", -1), "right of": ("cx", 1), "above": ("cy", -1), "below": ("cy", 1)}


def _relation(rng, objects):
    if len(objects) < 2:
        return None
    r = int(rng.integers(len(objects)))
    descs = unique_descriptions(objects, r)
    if not descs:
        return None
    side = _pick(rng, list(_SIDES))
    coord, sign = _SIDES[side]
    ref = getattr(objects[r], coord)
    hits = []
    for i, o in enumerate(objects):
        if i == r:
            continue
        delta = sign * (getattr(o, coord) - ref)
        if delta >= RELATION_GAP:
            hits.append(i)
        elif delta > -RELATION_CLEAR:
            return None                         # too close to call
    d = _pick(rng, descs)
    q = _pick(rng, ("What is {s} the {d}?", "Segment everything {s} the {d}.",
                    "Which shapes are {s} the {d}?")).format(s=side, d=d)
    if not hits:
        return Question("relation", q, f"Nothing is {side} the {d}.", ())
    hits = left_to_right(objects, hits)
    return Question("relation", q, f"Sure, {listing(objects, hits)}.", hits)


def _superlative(rng, objects):
    if len(objects) < 2:
        return None
    word = _pick(rng, ("largest", "smallest", "leftmost", "rightmost", "topmost", "lowest"))
    key = {"largest": lambda o: -o.area, "smallest": lambda o: o.area, "leftmost": lambda o: o.cx,
           "rightmost": lambda o: -o.cx, "topmost": lambda o: o.cy, "lowest": lambda o: -o.cy}[word]
    order = sorted(range(len(objects)), key=lambda i: key(objects[i]))
    a, b = objects[order[0]], objects[order[1]]
    if word in ("largest", "smallest"):
        big, small = (a, b) if word == "largest" else (b, a)
        if big.area < SUPERLATIVE_MARGIN * small.area:
            return None
    elif abs(key(a) - key(b)) < POSITION_MARGIN:
        return None
    q = _pick(rng, ("Which object is the {w}?", "Segment the {w} shape.", "What is the {w} object?")).format(w=word)
    return Question("superlative", q, f"The {word} object is {target_phrase(a)}.", (order[0],))


def _share(rng, objects):
    r = int(rng.integers(len(objects)))
    descs = [d for d in unique_descriptions(objects, r) if objects[r].colour not in d.split()]
    if not descs:
        return None
    d = _pick(rng, descs)
    hits = [i for i, o in enumerate(objects) if i != r and o.colour == objects[r].colour]
    q = _pick(rng, ("Which shapes share a colour with the {d}?", "What has the same colour as the {d}?",
                    "Segment the objects that are the same colour as the {d}.")).format(d=d)
    if not hits:
        return Question("share", q, f"No other shape has the colour of the {d}.", ())
    hits = left_to_right(objects, hits)
    return Question("share", q, f"Sure, {listing(objects, hits)}.", hits)


def _count(rng, objects):
    if rng.random() < 0.5:
        value = _value(rng, objects, "shape", SHAPES)
        hits = [i for i, o in enumerate(objects) if o.shape == value]
        noun = (value, PLURAL[value])
    else:
        value = _value(rng, objects, "colour", COLOURS)
        hits = [i for i, o in enumerate(objects) if o.colour == value]
        noun = (f"{value} shape", f"{value} shapes")
    q = _pick(rng, ("How many {p} are there?", "Count the {p} and segment them.",
                    "How many {p} can you see?")).format(p=noun[1])
    n = len(hits)
    if n == 0:
        return Question("count", q, f"There are no {noun[1]}.", ())
    hits = left_to_right(objects, hits)
    head = f"There is one {noun[0]}" if n == 1 else f"There are {NUMBERS[n]} {noun[1]}"
    return Question("count", q, f"{head}: {listing(objects, hits)}.", hits)


_MAKERS = {"refer": _refer, "absent": _absent, "attribute": _attribute, "relation": _relation,
           "superlative": _superlative, "share": _share, "count": _count}


def ask(rng, objects, kind):
    """A question of `kind` about `objects`, or None when the scene does not allow a clean one."""
    return _MAKERS[kind](rng, objects)
