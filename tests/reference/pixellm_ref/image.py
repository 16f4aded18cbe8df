"""Image decoding (§15.2), the padded CLIP preprocessing (§2.2) and the validity masks (§2.5)."""
import io
import math
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image, ImageOps

from .config import GRID, IMAGE_SIZE, IMAGENET_MEAN, IMAGENET_STD, LLM_GRID, PATCH_SIZE

# Modes Pillow converts to RGB the way cv2's default read does: alpha dropped (no compositing),
# grey / palette / bilevel expanded (§15.2).
_TO_RGB = {"RGB", "RGBA", "RGBX", "LA", "L", "P", "PA", "1"}
_SIXTEEN_BIT_GREY = {"I", "I;16", "I;16B", "I;16L"}


class ImageError(ValueError):
    """The image cannot be decoded the way the engine is specified to decode it."""


def decode_image(src):
    """Decode a path or bytes to an RGB uint8 array [H,W,3] (§15.2): EXIF orientation applied,
    alpha dropped, grey/palette expanded, 16-bit channels reduced to their high byte
    (Pillow already does that for 16-bit RGB PNGs). CMYK and other modes are refused."""
    img = Image.open(io.BytesIO(src) if isinstance(src, (bytes, bytearray)) else src)
    img = ImageOps.exif_transpose(img)
    if img.mode in _SIXTEEN_BIT_GREY:
        grey = np.asarray(img).astype(np.int64)                       # [H,W] 0..65535
        grey = np.clip(grey >> 8, 0, 255).astype(np.uint8)
        return np.ascontiguousarray(np.repeat(grey[:, :, None], 3, axis=2))
    if img.mode not in _TO_RGB:
        raise ImageError(f"unsupported image mode {img.mode!r} (CMYK and exotic modes are refused, §15.2)")
    return np.ascontiguousarray(np.asarray(img.convert("RGB"), dtype=np.uint8))


def resized_size(height, width):
    """§2.2 step 1: longest side to 448, s in double precision, floor(x*s + 0.5)."""
    s = IMAGE_SIZE / max(height, width)
    return int(math.floor(height * s + 0.5)), int(math.floor(width * s + 0.5))


@dataclass
class Preprocessed:
    rgb: np.ndarray            # [H,W,3] uint8, decoded original
    resized: np.ndarray        # [h',w',3] uint8, Pillow BILINEAR output
    pixels: torch.Tensor       # [1,3,448,448] f32, normalized and zero-padded
    original_size: tuple       # (H, W)
    input_size: tuple          # (h', w')
    masks: dict                # the §2.5 validity masks, see validity_masks()


def preprocess(rgb):
    """§2.2: Pillow BILINEAR resize of the longest side to 448, ImageNet mean/std on 0..255 in
    f32, zero pad bottom/right to 448x448. `rgb` is [H,W,3] uint8."""
    height, width = rgb.shape[:2]
    h1, w1 = resized_size(height, width)
    if min(h1, w1) < 1:
        raise ImageError(f"a {width}x{height} image resizes to {w1}x{h1}: too thin to process")
    resized = np.asarray(Image.fromarray(rgb, "RGB").resize((w1, h1), Image.BILINEAR), dtype=np.uint8)
    x = torch.from_numpy(resized.copy()).permute(2, 0, 1).float()         # [3,h',w'] 0..255
    mean = torch.tensor(IMAGENET_MEAN, dtype=torch.float32).view(3, 1, 1)
    std = torch.tensor(IMAGENET_STD, dtype=torch.float32).view(3, 1, 1)
    x = (x - mean) / std                                                    # [3,h',w']
    pixels = torch.zeros(1, 3, IMAGE_SIZE, IMAGE_SIZE, dtype=torch.float32)  # [1,3,448,448]
    pixels[0, :, :h1, :w1] = x
    return Preprocessed(rgb=rgb, resized=resized, pixels=pixels, original_size=(height, width),
                        input_size=(h1, w1), masks=validity_masks(h1, w1))


def validity_masks(h1, w1):
    """§2.5, from (h', w'). Legacy `nearest` 448->32 picks pixel 14d, 32->16 picks patch 2u.
    Returns bool tensors: pixel [448,448], patch [32,32], token [16,16], clip_key [1025]."""
    pixel = torch.zeros(IMAGE_SIZE, IMAGE_SIZE, dtype=torch.bool)            # [448,448]
    pixel[:h1, :w1] = True
    src = torch.arange(GRID) * PATCH_SIZE                                    # [32] source pixel rows
    patch = (src[:, None] < h1) & (src[None, :] < w1)                        # [32,32]
    token = patch[::2, ::2].clone()                                          # [16,16] = patch[2u,2v]
    assert token.shape == (LLM_GRID, LLM_GRID)
    clip_key = torch.cat([torch.ones(1, dtype=torch.bool), patch.flatten()])  # [1025] CLS first
    return {"pixel": pixel, "patch": patch, "token": token, "clip_key": clip_key}
