"""Scenes: 1-6 coloured shapes on a textured or noisy background, with exact instance masks.

Everything is drawn from one numpy Generator, so a scene is a pure function of its seed. Masks are
the VISIBLE pixels of each object (later objects occlude earlier ones); every object keeps at least
MIN_VISIBLE of its own area so that it stays recognisable.
"""
import math
from dataclasses import dataclass

import numpy as np

SIZE = 224                                   # square scenes; the pipeline resizes them to 448
SHAPES = ("circle", "square", "triangle", "hexagon")
COLOURS = {"red": (220, 40, 40), "green": (40, 170, 60), "blue": (40, 80, 225),
           "yellow": (235, 210, 40), "purple": (150, 60, 190), "orange": (245, 140, 30)}
# Size classes by the radius of the circle of equal area (px at 224); gaps between classes keep
# "small / medium / large" unambiguous.
SIZES = {"small": (11, 15), "medium": (20, 25), "large": (31, 38)}
MIN_VISIBLE = 0.7
MAX_OBJECTS = 6


@dataclass(frozen=True)
class SceneObject:
    shape: str
    colour: str
    size: str
    mask: np.ndarray          # [SIZE,SIZE] bool, visible pixels
    area: int                 # visible pixel count
    cx: float                 # centroid of the visible pixels (x = column)
    cy: float

    @property
    def name(self):
        return f"{self.size} {self.colour} {self.shape}"


@dataclass(frozen=True)
class Scene:
    image: np.ndarray         # [SIZE,SIZE,3] uint8
    objects: tuple            # SceneObject, in painting order


def _grid():
    ys, xs = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64) + 0.5   # pixel centres
    return xs, ys


def _polygon_mask(xs, ys, vertices):
    """Inside test of a convex polygon with counter-clockwise vertices (image y points down, so
    'left of every edge' in image coordinates)."""
    inside = np.ones(xs.shape, dtype=bool)
    n = len(vertices)
    for i in range(n):
        (x0, y0), (x1, y1) = vertices[i], vertices[(i + 1) % n]
        inside &= (x1 - x0) * (ys - y0) - (y1 - y0) * (xs - x0) >= 0
    return inside


def _regular_polygon(cx, cy, circumradius, sides, angle):
    return [(cx + circumradius * math.cos(angle + 2 * math.pi * k / sides),
             cy + circumradius * math.sin(angle + 2 * math.pi * k / sides)) for k in range(sides)]


def shape_mask(shape, cx, cy, r, angle):
    """Full (unoccluded) mask of a shape whose area equals that of a circle of radius r."""
    xs, ys = _grid()
    if shape == "circle":
        return (xs - cx) ** 2 + (ys - cy) ** 2 <= r * r
    area = math.pi * r * r
    if shape == "square":          # side s: s^2 = area; circumradius s / sqrt(2)
        return _polygon_mask(xs, ys, _regular_polygon(cx, cy, math.sqrt(area / 2), 4, angle + math.pi / 4))
    if shape == "triangle":        # equilateral, pointing up at angle 0; area = 3 sqrt(3)/4 R^2
        big_r = math.sqrt(area * 4 / (3 * math.sqrt(3)))
        return _polygon_mask(xs, ys, _regular_polygon(cx, cy, big_r, 3, angle - math.pi / 2))
    if shape == "hexagon":         # area = 3 sqrt(3)/2 R^2
        big_r = math.sqrt(area * 2 / (3 * math.sqrt(3)))
        return _polygon_mask(xs, ys, _regular_polygon(cx, cy, big_r, 6, angle))
    raise ValueError(f"unknown shape {shape!r}")


def _smooth_noise(rng, cells):
    coarse = rng.standard_normal((cells + 1, cells + 1))
    idx = np.linspace(0, cells, SIZE)
    i0 = np.minimum(np.floor(idx).astype(int), cells - 1)
    f = idx - i0
    rows = coarse[i0] * (1 - f)[:, None] + coarse[i0 + 1] * f[:, None]          # [SIZE,cells+1]
    return rows[:, i0] * (1 - f)[None, :] + rows[:, i0 + 1] * f[None, :]         # [SIZE,SIZE]


def background(rng):
    """A muted (low-saturation) background: noise, stripes, smooth blobs or a checkerboard."""
    base = rng.uniform(70, 190)
    tint = rng.uniform(-15, 15, size=3)
    kind = rng.integers(4)
    xs, ys = _grid()
    if kind == 0:
        pattern = np.zeros((SIZE, SIZE))
    elif kind == 1:
        angle, period = rng.uniform(0, math.pi), rng.uniform(8, 30)
        pattern = 18 * np.sin(2 * math.pi * (xs * math.cos(angle) + ys * math.sin(angle)) / period)
    elif kind == 2:
        pattern = 22 * _smooth_noise(rng, int(rng.integers(3, 9)))
    else:
        cell = rng.uniform(10, 28)
        pattern = 14 * (((xs // cell) + (ys // cell)) % 2 * 2 - 1)
    noise = rng.normal(0, rng.uniform(4, 16), size=(SIZE, SIZE, 3))
    img = base + tint[None, None, :] + pattern[:, :, None] + noise
    return img


def _try_layout(rng, count):
    """Draw `count` objects; None when an object ends up less than MIN_VISIBLE visible."""
    # A per-scene palette of 2-4 colours and 2-4 shapes makes shared attributes (several targets)
    # common.
    colours = rng.permutation(list(COLOURS))[:int(rng.integers(2, 5))]
    shapes = rng.permutation(list(SHAPES))[:int(rng.integers(2, 5))]
    full, specs = [], []
    for _ in range(count):
        size = list(SIZES)[rng.integers(len(SIZES))]
        r = rng.uniform(*SIZES[size])
        cx, cy = rng.uniform(r + 2, SIZE - r - 2, size=2)
        shape = str(shapes[rng.integers(len(shapes))])
        colour = str(colours[rng.integers(len(colours))])
        angle = rng.uniform(-0.25, 0.25)
        full.append(shape_mask(shape, cx, cy, r, angle))
        specs.append((shape, colour, size))
    visible = []
    for i, m in enumerate(full):
        v = m.copy()
        for later in full[i + 1:]:
            v &= ~later
        if v.sum() < MIN_VISIBLE * m.sum():
            return None
        visible.append(v)
    return specs, visible


def render(rng):
    """Draw a scene with 1..MAX_OBJECTS objects: background, then each object painted flat (plus
    light noise) over its visible mask (visible masks are disjoint, so the order is immaterial)."""
    count = int(rng.integers(1, MAX_OBJECTS + 1))
    layout = None
    while layout is None:
        layout = _try_layout(rng, count)
    specs, visible = layout
    img = background(rng)
    objects = []
    for (shape, colour, size), mask in zip(specs, visible):
        ys, xs = np.nonzero(mask)
        area = int(mask.sum())
        rgb = np.array(COLOURS[colour], dtype=np.float64) + rng.uniform(-15, 15, size=3)
        img[mask] = rgb[None, :] + rng.normal(0, 5, size=(area, 3))
        objects.append(SceneObject(shape=shape, colour=colour, size=size, mask=mask, area=area,
                                   cx=float(xs.mean() + 0.5), cy=float(ys.mean() + 0.5)))
    return Scene(image=np.clip(np.rint(img), 0, 255).astype(np.uint8), objects=tuple(objects))
