import json

from pixellm_ref import bench_image
from pixellm_ref.safetensors_io import read_safetensors


def test_bench_image_prints_the_engine_keys_and_dumps_the_tensors(images, tmp_path, capsys):
    out = tmp_path / "ref.safetensors"
    bench_image.main(["--image", images["grey"], "--runs", "1", "--json", "--dump", str(out)])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["stage"] for r in lines] == ["image-decode", "image-preprocess", "image-decode-preprocess"]
    assert all(r["shape"] == "123x77" and r["threads"] == 1 and r["runs"] == 1 and r["median_ms"] > 0 for r in lines)
    tensors, metadata = read_safetensors(str(out))
    assert tuple(tensors["image.resized"].shape) == (280, 448, 3)
    assert tuple(tensors["image.pixels"].shape) == (1, 3, 448, 448)
    assert metadata["input_size"] == "280,448"


def test_parity_images_are_written_with_their_expectations(tmp_path):
    from pixellm_ref.parity_images import write_parity_images
    manifest = write_parity_images(str(tmp_path))
    names = {c["name"] for c in manifest["cases"]}
    assert {"rgb_1x50", "jpeg_exif6_37x23", "rgb16_211x97", "palette_trns_211x97"} <= names
    tensors, _ = read_safetensors(str(tmp_path / "expected.safetensors"))
    assert tuple(tensors["jpeg_exif6_37x23.rgb"].shape) == (37, 23, 3)          # turned by EXIF
    assert tuple(tensors["rgb_2x896.resized"].shape) == (448, 1, 3)
    assert tuple(tensors["rgb_640x480.resize_1000x700"].shape) == (700, 1000, 3)
