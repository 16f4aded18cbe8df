"""Photo-like test images and the reference's decoding and Pillow resizes of them, for the engine's
bit-exact image parity tests (spec §2.2, §15.2).

    /usr/bin/python3 -m pixellm_ref.parity_images --out DIR

There are no photographs in the repository or on the build machines, so the content is synthesised
deterministically (seeded): smooth lighting gradients, a fine noise texture (sensor noise), soft and
hard edges (shapes, lines) and a high-frequency pattern that stresses the antialiasing filter; the
JPEGs are then lossy-compressed by libjpeg-turbo through Pillow. Writes into DIR:

* one encoded file per case (PNG and JPEG, every colour type the decoder handles, 8 EXIF orientations);
* expected.safetensors: for case NAME, `NAME.rgb` (the reference's decode_image, [H,W,3] u8),
  `NAME.resized` (Pillow BILINEAR to the §2.2 size, [h',w',3] u8) and `NAME.resize_WxH` for
  extra targets (up- and down-scaling on each axis independently);
* manifest.json: {"cases": [{"name", "file", "width", "height", "resized": [h', w'], "extra": [[w, h], ...]}]}.
"""
import argparse
import io
import json
import os

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFilter

from .image import decode_image, resized_size
from .safetensors_io import write_safetensors

EXIF_ORIENTATION = 0x0112


def photo(width, height, seed):
    """[H,W,3] uint8 that behaves like a photograph under resampling and JPEG compression."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float64)
    u, v = xx / max(width - 1, 1), yy / max(height - 1, 1)
    light = 0.55 + 0.45 * np.cos(2.3 * u + 1.7 * v + seed)                       # [H,W] lighting
    base = np.stack([90 + 120 * u, 70 + 100 * v, 140 - 60 * u * v], axis=-1)     # [H,W,3]
    img = base * light[..., None]
    img += 18 * np.sin(xx * 0.9 + yy * 0.35)[..., None] * np.array([1.0, 0.6, 0.3])  # fine stripes
    img += rng.normal(0, 9, size=(height, width, 3))                              # sensor noise
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")
    d = ImageDraw.Draw(pil)
    for _ in range(6):
        x0, y0 = rng.uniform(0, width), rng.uniform(0, height)
        x1, y1 = x0 + rng.uniform(0.05, 0.4) * width, y0 + rng.uniform(0.05, 0.4) * height
        color = tuple(int(c) for c in rng.integers(0, 256, 3))
        (d.ellipse if rng.random() < 0.5 else d.rectangle)([x0, y0, x1, y1], fill=color)
    soft = pil.filter(ImageFilter.GaussianBlur(radius=max(1.0, min(width, height) / 200)))
    out = np.asarray(soft).copy()
    sharp = np.asarray(pil)
    out[: height // 2] = sharp[: height // 2]                                     # hard edges on top, soft below
    line = Image.fromarray(out, "RGB")
    ImageDraw.Draw(line).line([0, height - 1, width - 1, 0], fill=(250, 250, 240), width=max(1, width // 150))
    return np.asarray(line)


def _encode(img, fmt, **kwargs):
    buffer = io.BytesIO()
    img.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def cases():
    """(name, extension, encoded bytes, extra resize targets [(w, h)])."""
    out = []

    def png(name, arr_or_img, extra=(), mode=None):
        img = arr_or_img if isinstance(arr_or_img, Image.Image) else Image.fromarray(arr_or_img, mode)
        out.append((name, "png", _encode(img, "PNG"), list(extra)))

    # Lossless RGB: every size class of the §2.2 resize.
    png("rgb_640x480", photo(640, 480, 1), extra=[(100, 37), (640, 100), (50, 480), (1000, 700)])
    png("rgb_1600x1200", photo(1600, 1200, 2), extra=[(97, 1201)])
    png("rgb_333x1000", photo(333, 1000, 3))
    png("rgb_1000x333", photo(1000, 333, 4))
    png("rgb_123x77", photo(123, 77, 5), extra=[(124, 78), (7, 5)])
    png("rgb_449x449", photo(449, 449, 6))
    png("rgb_448x300", photo(448, 300, 7))
    png("rgb_447x13", photo(447, 13, 8))
    png("rgb_17x29", photo(17, 29, 9))
    png("rgb_1x50", photo(1, 50, 10), extra=[(3, 50), (1, 1)])
    png("rgb_50x1", photo(50, 1, 11))
    png("rgb_1x1", photo(1, 1, 12))
    png("rgb_2x896", photo(2, 896, 13))
    # PNG colour types and depths.
    base = Image.fromarray(photo(211, 97, 20), "RGB")
    png("grey8_211x97", base.convert("L"))
    png("bilevel_211x97", base.convert("1"))
    png("palette_211x97", base.convert("P", palette=Image.ADAPTIVE, colors=37))
    pal = base.convert("P", palette=Image.ADAPTIVE, colors=16)
    pal.info["transparency"] = 3
    out.append(("palette_trns_211x97", "png", _encode(pal, "PNG", transparency=3), []))
    out.append(("palette4bit_211x97", "png", _encode(pal, "PNG", bits=4), []))
    rgba = base.convert("RGBA")
    rgba.putalpha(Image.fromarray(photo(211, 97, 21)[:, :, 0], "L"))
    png("rgba_211x97", rgba)
    la = base.convert("LA")
    png("grey_alpha_211x97", la)
    png("grey16_211x97", Image.fromarray((np.asarray(base.convert("L")).astype(np.uint16) * 257 + 91), "I;16"))
    out.append(("rgb16_211x97", "png", _rgb16_png(photo(211, 97, 22)), []))
    # JPEG: subsampling, progressive, grey, quality.
    p = Image.fromarray(photo(640, 480, 30), "RGB")
    out.append(("jpeg420_640x480", "jpg", _encode(p, "JPEG", quality=85), []))
    out.append(("jpeg444_640x480", "jpg", _encode(p, "JPEG", quality=95, subsampling=0), []))
    out.append(("jpeg422_333x251", "jpg", _encode(p.resize((333, 251)), "JPEG", quality=75, subsampling=1), []))
    out.append(("jpeg_progressive_640x480", "jpg", _encode(p, "JPEG", quality=80, progressive=True), []))
    out.append(("jpeg_grey_301x207", "jpg", _encode(p.resize((301, 207)).convert("L"), "JPEG", quality=90), []))
    out.append(("jpeg_odd_1x37", "jpg", _encode(p.resize((1, 37)), "JPEG", quality=90), []))
    # Every EXIF orientation on a small, odd-sized, asymmetric picture.
    small = p.resize((37, 23))
    for orientation in range(1, 9):
        exif = Image.Exif()
        exif[EXIF_ORIENTATION] = orientation
        out.append((f"jpeg_exif{orientation}_37x23", "jpg", _encode(small, "JPEG", quality=92, exif=exif), []))
    return out


def _rgb16_png(rgb8):
    """A 16-bit RGB PNG (Pillow cannot write one), assembled with zlib: [H,W,3] u16 = v*257 + noise."""
    import struct
    import zlib
    height, width = rgb8.shape[:2]
    rgb16 = rgb8.astype(np.uint16) * 257 + (np.arange(width, dtype=np.uint16)[None, :, None] % 200)
    raw = b"".join(b"\x00" + rgb16[y].astype(">u2").tobytes() for y in range(height))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")


def write_parity_images(out):
    os.makedirs(out, exist_ok=True)
    tensors, manifest = {}, {"cases": []}
    for name, ext, data, extra in cases():
        path = os.path.join(out, f"{name}.{ext}")
        with open(path, "wb") as f:
            f.write(data)
        rgb = decode_image(data)                                        # [H,W,3] u8
        height, width = rgb.shape[:2]
        h1, w1 = resized_size(height, width)
        pil = Image.fromarray(rgb, "RGB")
        tensors[f"{name}.rgb"] = rgb
        if min(h1, w1) >= 1:
            tensors[f"{name}.resized"] = np.asarray(pil.resize((w1, h1), Image.BILINEAR))
        for w, h in extra:
            tensors[f"{name}.resize_{w}x{h}"] = np.asarray(pil.resize((w, h), Image.BILINEAR))
        manifest["cases"].append({"name": name, "file": os.path.basename(path), "width": width, "height": height,
                                  "resized": [h1, w1] if min(h1, w1) >= 1 else None, "extra": extra})
    write_safetensors(os.path.join(out, "expected.safetensors"),
                      {k: torch.from_numpy(np.array(v, copy=True)) for k, v in tensors.items()})
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return manifest


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m pixellm_ref.parity_images", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    manifest = write_parity_images(ap.parse_args(argv).out)
    print(f"{len(manifest['cases'])} cases")


if __name__ == "__main__":
    main()
