import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image

from pixellm_ref.image import ImageError, decode_image, preprocess, resized_size, validity_masks


@pytest.mark.parametrize("hw, expected", [
    ((480, 640), (336, 448)),     # the spec's example (§2.5)
    ((640, 480), (448, 336)),
    ((500, 300), (448, 269)),     # 268.8 -> 269
    ((77, 123), (280, 448)),      # 280.46 -> 280
    ((448, 448), (448, 448)),
    ((1000, 3), (448, 1)),        # 1.344 -> 1
    ((200, 999), (90, 448)),      # 89.69 -> 90
])
def test_resized_size(hw, expected):
    assert resized_size(*hw) == expected


def test_decode_applies_exif_and_drops_alpha(images):
    photo = decode_image(images["photo_exif6"])
    assert photo.shape == (640, 480, 3) and photo.dtype == np.uint8   # stored 640x480, orientation 6
    rgba = np.asarray(Image.open(images["alpha"]))
    rgb = decode_image(images["alpha"])
    assert rgb.shape == (500, 300, 3)
    assert np.array_equal(rgb, rgba[:, :, :3])                          # no compositing
    grey = decode_image(images["grey"])
    assert grey.shape == (77, 123, 3)
    assert np.array_equal(grey[:, :, 0], grey[:, :, 2])
    raw16 = np.asarray(Image.open(images["grey16"])).astype(np.int64)
    g16 = decode_image(images["grey16"])
    assert np.array_equal(g16[:, :, 1], (raw16 >> 8).astype(np.uint8))  # high byte


def test_decode_refuses_cmyk(tmp_path):
    path = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (8, 8), (0, 255, 0, 0)).save(path, "JPEG")
    with pytest.raises(ImageError, match="CMYK"):
        decode_image(str(path))


def test_refuses_too_thin_image():
    with pytest.raises(ImageError, match="too thin"):
        preprocess(np.zeros((1000, 1, 3), dtype=np.uint8))


def test_preprocess_normalizes_and_pads(images):
    pre = preprocess(decode_image(images["alpha"]))
    assert pre.original_size == (500, 300) and pre.input_size == (448, 269)
    assert pre.pixels.shape == (1, 3, 448, 448) and pre.pixels.dtype == torch.float32
    ref = np.asarray(Image.fromarray(pre.rgb).resize((269, 448), Image.BILINEAR))
    assert np.array_equal(pre.resized, ref)
    mean = np.array([123.675, 116.28, 103.53], np.float32)
    std = np.array([58.395, 57.12, 57.375], np.float32)
    want = ((ref.astype(np.float32) - mean) / std).transpose(2, 0, 1)
    assert np.array_equal(pre.pixels[0, :, :448, :269].numpy(), want)
    assert not pre.pixels[0, :, :, 269:].any()                         # zero pad after normalisation


@pytest.mark.parametrize("h1, w1", [(336, 448), (448, 269), (280, 448), (448, 1), (1, 448), (29, 27), (448, 448)])
def test_validity_masks_match_legacy_nearest(h1, w1):
    """The masks the original builds with F.interpolate(mode='nearest') (llava_arch encode_images)."""
    m = validity_masks(h1, w1)
    pixel = torch.zeros(1, 1, 448, 448)
    pixel[..., :h1, :w1] = 1
    patch = F.interpolate(pixel, size=(32, 32), mode="nearest")
    token = F.interpolate(patch, size=(16, 16), mode="nearest")
    assert torch.equal(m["pixel"], pixel[0, 0].bool())
    assert torch.equal(m["patch"], patch[0, 0].bool())
    assert torch.equal(m["token"], token[0, 0].bool())
    assert torch.equal(m["clip_key"], torch.cat([torch.ones(1), patch.flatten()]).bool())


def test_spec_example_token_count():
    m = validity_masks(336, 448)
    assert int(m["patch"].sum()) == 24 * 32 and int(m["token"].sum()) == 192
