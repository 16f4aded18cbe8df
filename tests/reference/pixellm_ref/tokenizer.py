"""Prompt building and tokenization (§5), reproducing the HF 4.31 slow LlamaTokenizer rules with
sentencepiece, plus the §15.3 product rule (user text never becomes special tokens).

Rules (§5.3):
* text is cut at added tokens that the prompt builder inserts; whitespace on both sides of an
  added token is stripped (Python `str.strip` whitespace, as HF 4.31 does);
* each remaining text piece is SentencePiece-encoded on its own, so each gets the dummy-prefix `▁`;
* one BOS at the front of the whole prompt; the image placeholder is the id -200.
"""
import json
import os
import re

import sentencepiece as spm

from .config import BOS_ID, EOS_ID, IMAGE_TOKEN_INDEX

SYSTEM = ("A chat between a curious human and an artificial intelligence assistant. "
          "The assistant gives helpful, detailed, and polite answers to the human's questions.")
IM_PATCH, IM_START, IM_END = "<im_patch>", "<im_start>", "<im_end>"
TOKENIZER_ENV = "PIXELLM_LLAMA_TOKENIZER"
LLAMA_TOKENIZER_MD5 = "eeec4125e9c7560836b4873b6f8e3025"


class TokenizerError(ValueError):
    """tokenizer.model / added_tokens.json are missing or disagree with each other or the config."""


def seg_token_names(n):
    return [f"[SEG{i}]" for i in range(n)]


def layout_7b(num_seg=6):
    """§5.1, the 7B added-token layout: <im_patch> 32000, <im_start> 32001, <im_end> 32002,
    [SEG0].. from 32003. V = 32003 + num_seg."""
    names = [IM_PATCH, IM_START, IM_END] + seg_token_names(num_seg)
    return {name: 32000 + i for i, name in enumerate(names)}


def prompt_text(question):
    """§5.2, the rendered llava_v1 prompt (informational; ids come from build_prompt_ids)."""
    return f"{SYSTEM} USER: {IM_START}<image>{IM_END}\n{question} ASSISTANT:"


class Tokenizer:
    def __init__(self, model_path, added_tokens, num_seg=6):
        if not os.path.exists(model_path):
            raise TokenizerError(f"tokenizer model {model_path} does not exist")
        self.sp = spm.SentencePieceProcessor(model_file=model_path)
        base = self.sp.vocab_size()
        ids = sorted(added_tokens.values())
        if ids != list(range(base, base + len(ids))):
            raise TokenizerError(f"added token ids {ids} are not contiguous from the base vocabulary "
                                 f"size {base}")
        self.added = dict(added_tokens)                         # name -> id
        self.added_by_id = {v: k for k, v in self.added.items()}
        self.vocab_size = base + len(ids)
        missing = [t for t in [IM_START, IM_END] + seg_token_names(num_seg) if t not in self.added]
        if missing:
            raise TokenizerError(f"added tokens lack '{missing[0]}'")
        self.im_start_id, self.im_end_id = self.added[IM_START], self.added[IM_END]
        self.seg_ids = [self.added[t] for t in seg_token_names(num_seg)]   # looked up by name (§5.1)
        names = sorted(self.added, key=len, reverse=True)
        self._split_re = re.compile("(" + "|".join(re.escape(n) for n in names) + ")")

    @classmethod
    def from_dir(cls, model_dir, num_seg=6):
        path = os.path.join(model_dir, "added_tokens.json")
        if not os.path.exists(path):
            raise TokenizerError(f"missing file {path}")
        with open(path) as f:
            added = json.load(f)
        return cls(os.path.join(model_dir, "tokenizer.model"), added, num_seg)

    def sp_encode(self, text):
        """SentencePiece with the legacy dummy prefix: SP(s) = encode('▁' + s, spaces -> '▁')."""
        return self.sp.encode(text) if text else []

    def encode_parts(self, parts):
        """HF 4.31 chunk rule over an explicit split. parts: list of int (an added-token id) or
        str (plain text, never split). Whitespace next to an added token is stripped; empty text
        pieces vanish; each text piece is SentencePiece-encoded separately. No BOS."""
        texts = list(parts)
        for i, p in enumerate(texts):
            if isinstance(p, int):
                if i + 1 < len(texts) and isinstance(texts[i + 1], str):
                    texts[i + 1] = texts[i + 1].lstrip()
                if i > 0 and isinstance(texts[i - 1], str):
                    texts[i - 1] = texts[i - 1].rstrip()
        ids = []
        for p in texts:
            ids.extend([p] if isinstance(p, int) else self.sp_encode(p))
        return ids

    def split_added(self, text):
        """Cut trusted text (a forced answer written by a test author) at added-token strings,
        as HF 4.31 would. Never used on user questions (§15.3)."""
        return [self.added[p] if p in self.added else p for p in self._split_re.split(text) if p]

    def build_prompt_ids(self, question):
        """§5.3 with §15.3: [1] + SP("{SYSTEM} USER:") + [<im_start>, -200, <im_end>]
        + SP((question + " ASSISTANT:").lstrip()). The question is plain text: a typed "[SEG0]" or
        "<s>" stays characters. Its leading whitespace (and the "\\n" after <im_end>) is lost."""
        chunk_a = self.encode_parts([SYSTEM + " USER: ", self.im_start_id])
        chunk_b = self.encode_parts([self.im_end_id, "\n" + question + " ASSISTANT:"])
        return [BOS_ID] + chunk_a + [IMAGE_TOKEN_INDEX] + chunk_b

    def encode_answer(self, answer, append_eos=True):
        """Token ids of a forced (teacher-forced) answer: added tokens split out, plus EOS."""
        return self.encode_parts(self.split_added(answer)) + ([EOS_ID] if append_eos else [])

    def decode(self, ids):
        """Readable text: runs of SentencePiece ids decoded by sentencepiece (keeping the space a
        run's leading '▁' stands for, except at the very start), added tokens and -200 rendered
        as their strings, BOS/EOS dropped. Informational only: parity is checked on ids."""
        out, run = [], []

        def flush():
            if run:
                text = self.sp.decode(run)
                if out and self.sp.id_to_piece(run[0]).startswith("\u2581"):
                    text = " " + text
                out.append(text)
                run.clear()

        for i in ids:
            if i in (BOS_ID, EOS_ID):
                continue
            if i == IMAGE_TOKEN_INDEX or i in self.added_by_id:
                flush()
                out.append("<image>" if i == IMAGE_TOKEN_INDEX else self.added_by_id[i])
            elif 0 <= i < self.sp.vocab_size():
                run.append(i)
            else:
                raise TokenizerError(f"token id {i} is outside the vocabulary of {self.vocab_size}")
        flush()
        return "".join(out)


def default_tokenizer_path():
    """PIXELLM_LLAMA_TOKENIZER, defaulting to <repo>/.deps/llama-tokenizer/tokenizer.model."""
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
    return os.environ.get(TOKENIZER_ENV, os.path.join(repo, ".deps", "llama-tokenizer", "tokenizer.model"))
