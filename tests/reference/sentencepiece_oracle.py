"""SentencePiece as the oracle for the C# tokenizer tests (tests/PixelLM.Tests/Text).

Usage: /usr/bin/python3 sentencepiece_oracle.py TOKENIZER_MODEL REQUEST.json RESPONSE.json

REQUEST holds {"encode": [text, ...], "decode": [[id, ...], ...], "prompt": [question, ...]}
(each optional). RESPONSE holds:
* "vocabulary": the model's pieces, scores and types (SentencePiece numbering: NORMAL 1, UNKNOWN 2,
  CONTROL 3, USER_DEFINED 4, UNUSED 5, BYTE 6) and its special ids, for the test to write a GGUF;
* "encode": per text, {"ids": sp.encode(text), "decoded": sp.decode(ids)};
* "decode": per id list, sp.decode(ids);
* "prompt": per question, the reference's PixelLM prompt ids (pixellm_ref.tokenizer, 7B layout).

Everything is computed live by sentencepiece, so the tests never compare against stale files.
"""
import json
import os
import sys

import sentencepiece as spm

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pixellm_ref.tokenizer import Tokenizer, layout_7b  # noqa: E402

NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6


def piece_types(model_path, sp):
    """The type of every piece; from the model proto when the protobuf module is there (the only
    way to see USER_DEFINED), otherwise from the processor's is_* predicates."""
    try:
        from sentencepiece import sentencepiece_model_pb2
        proto = sentencepiece_model_pb2.ModelProto()
        with open(model_path, "rb") as f:
            proto.ParseFromString(f.read())
        return [p.type for p in proto.pieces]
    except ImportError:
        def kind(i):
            if sp.is_unknown(i):
                return UNKNOWN
            if sp.is_control(i):
                return CONTROL
            if sp.is_byte(i):
                return BYTE
            if sp.is_unused(i):
                return UNUSED
            return NORMAL
        return [kind(i) for i in range(sp.vocab_size())]


def main(model_path, request_path, response_path):
    sp = spm.SentencePieceProcessor(model_file=model_path)
    with open(request_path, encoding="utf-8") as f:
        request = json.load(f)
    n = sp.vocab_size()
    response = {
        "vocabulary": {
            "pieces": [sp.id_to_piece(i) for i in range(n)],
            "scores": [sp.get_score(i) for i in range(n)],
            "types": piece_types(model_path, sp),
            "bos": sp.bos_id(), "eos": sp.eos_id(), "unk": sp.unk_id(), "pad": sp.pad_id(),
        },
        "encode": [],
        "decode": [sp.decode(ids) for ids in request.get("decode", [])],
        "prompt": [],
    }
    for text in request.get("encode", []):
        ids = sp.encode(text)
        response["encode"].append({"ids": ids, "decoded": sp.decode(ids)})
    questions = request.get("prompt", [])
    if questions:
        reference = Tokenizer(model_path, layout_7b())
        response["prompt"] = [reference.build_prompt_ids(q) for q in questions]
    with open(response_path, "w", encoding="utf-8") as f:
        json.dump(response, f, ensure_ascii=False)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
