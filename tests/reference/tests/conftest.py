"""Shared fixtures: one tiny model and the test images per session, built in a temp dir."""
import os

import pytest
import torch

from pixellm_ref import build, checkpoint, make_images, pipeline
from pixellm_ref.tokenizer import LLAMA_TOKENIZER_MD5, TOKENIZER_ENV, default_tokenizer_path

torch.set_num_threads(1)

FORCED = "The cat [SEG0][SEG1][SEG2][SEG3][SEG4][SEG5] and the dog [SEG0][SEG1][SEG2][SEG3][SEG4][SEG5]."
QUESTION = "Segment the cat and the dog."


@pytest.fixture(scope="session")
def tokenizer_path():
    path = default_tokenizer_path()
    if not os.path.isfile(path):
        pytest.fail(f"LLaMA's tokenizer.model is missing at {path}. Run ./build.sh (it fetches it into "
                    f".deps/llama-tokenizer/) or point {TOKENIZER_ENV} at a copy "
                    f"(md5 {LLAMA_TOKENIZER_MD5}).", pytrace=False)
    return path


@pytest.fixture(scope="session")
def tiny_dirs(tmp_path_factory, tokenizer_path):
    """(model_dir, clip_dir) of the tiny preset, seed 0."""
    return build.build(str(tmp_path_factory.mktemp("tiny") / "ckpt"), "tiny", tokenizer_path, seed=0)


@pytest.fixture(scope="session")
def tiny(tiny_dirs):
    """The loaded tiny model. Shared: tests must not modify it (load their own copy instead)."""
    return checkpoint.load(*tiny_dirs)


@pytest.fixture(scope="session")
def images(tmp_path_factory):
    return make_images.make_images(str(tmp_path_factory.mktemp("images")))


@pytest.fixture(scope="session")
def forced_result(tiny, images):
    """The teacher-forced end-to-end run (2 targets) on the EXIF-rotated photo."""
    return pipeline.segment(tiny, images["photo_exif6"], QUESTION, forced_answer=FORCED)
