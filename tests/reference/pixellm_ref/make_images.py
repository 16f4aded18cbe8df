"""Deterministic test images, drawn with PIL at run time (no binaries in the repository).

    /usr/bin/python3 -m pixellm_ref.make_images --out DIR

* photo_exif6.jpg  640x480 JPEG stored sideways with EXIF orientation 6 (decodes to 480 wide x 640 high)
* alpha_300x500.png 300x500 RGBA PNG with a varying alpha channel (alpha is dropped, not composited)
* grey_123x77.png  123x77 8-bit greyscale PNG
* grey16_64x48.png 64x48 16-bit greyscale PNG (reduced to the high byte)
"""
import argparse
import os

import numpy as np
from PIL import Image, ImageDraw

EXIF_ORIENTATION = 0x0112


def _scene(width, height):
    """A gradient background with a 'cat' ellipse and a 'dog' rectangle."""
    yy, xx = np.mgrid[0:height, 0:width]
    rgb = np.stack([(xx * 255 // max(width - 1, 1)), (yy * 255 // max(height - 1, 1)),
                    np.full_like(xx, 96)], axis=-1).astype(np.uint8)   # [H,W,3]
    img = Image.fromarray(rgb, "RGB")
    d = ImageDraw.Draw(img)
    d.ellipse([width * 0.10, height * 0.20, width * 0.45, height * 0.70], fill=(230, 140, 40))
    d.rectangle([width * 0.55, height * 0.35, width * 0.90, height * 0.85], fill=(60, 60, 200))
    d.line([0, height - 1, width - 1, 0], fill=(255, 255, 255), width=3)
    return img


def make_images(out):
    os.makedirs(out, exist_ok=True)
    paths = {}

    photo = _scene(640, 480)
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6
    paths["photo_exif6"] = os.path.join(out, "photo_exif6.jpg")
    photo.save(paths["photo_exif6"], "JPEG", quality=90, exif=exif)

    rgba = _scene(300, 500).convert("RGBA")
    alpha = (np.mgrid[0:500, 0:300][1] * 255 // 299).astype(np.uint8)  # [500,300] left-to-right ramp
    rgba.putalpha(Image.fromarray(alpha, "L"))
    paths["alpha"] = os.path.join(out, "alpha_300x500.png")
    rgba.save(paths["alpha"], "PNG")

    paths["grey"] = os.path.join(out, "grey_123x77.png")
    _scene(123, 77).convert("L").save(paths["grey"], "PNG")

    yy, xx = np.mgrid[0:48, 0:64]
    grey16 = ((xx * 1021 + yy * 7) % 65536).astype(np.uint16)          # [48,64]
    paths["grey16"] = os.path.join(out, "grey16_64x48.png")
    Image.fromarray(grey16, "I;16").save(paths["grey16"], "PNG")
    return paths


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m pixellm_ref.make_images", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    for path in make_images(ap.parse_args(argv).out).values():
        print(path)


if __name__ == "__main__":
    main()
