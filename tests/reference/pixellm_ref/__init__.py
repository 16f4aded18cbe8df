"""PyTorch reference implementation of PixelLM inference (f32), written from
/work/shared/docs/pixellm-architecture.md ("the spec"; section numbers below refer to it).

Run everything with /usr/bin/python3 from tests/reference/ (see README.md there).
"""
