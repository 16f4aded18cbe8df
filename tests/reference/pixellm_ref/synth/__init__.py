"""Synthetic shapes task for training and evaluating a small PixelLM (issue 7).

scene.py renders RGB scenes with exact instance masks; questions.py asks questions of several
kinds and writes PixelLM-style answers (every target followed by its six codebook tokens);
dataset.py fixes items by (split, seed, index); export.py writes a split for the engine's eval.
"""
