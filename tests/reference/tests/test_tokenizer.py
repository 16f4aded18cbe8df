import pytest
import sentencepiece as spm

from pixellm_ref.tokenizer import SYSTEM, Tokenizer, TokenizerError, layout_7b, prompt_text

# [1] + SP("{SYSTEM} USER:") for LLaMA's tokenizer.model (md5 eeec4125...), as LLaVA v1 prompts start.
SYSTEM_IDS = [1, 319, 13563, 1546, 263, 12758, 5199, 322, 385, 23116, 21082, 20255, 29889, 450, 20255,
              4076, 8444, 29892, 13173, 29892, 322, 1248, 568, 6089, 304, 278, 5199, 29915, 29879, 5155,
              29889, 3148, 1001, 29901]
IMAGE_SLOT = [32001, -200, 32002]


@pytest.fixture(scope="module")
def tok(tokenizer_path):
    return Tokenizer(tokenizer_path, layout_7b())


@pytest.fixture(scope="module")
def sp(tokenizer_path):
    return spm.SentencePieceProcessor(model_file=tokenizer_path)


def test_layout_7b(tok):
    assert tok.vocab_size == 32009
    assert (tok.im_start_id, tok.im_end_id) == (32001, 32002)
    assert tok.seg_ids == list(range(32003, 32009))


def test_golden_prompt(tok):
    ids = tok.build_prompt_ids("What is in the image?")
    assert ids == SYSTEM_IDS + IMAGE_SLOT + [1724, 338, 297, 278, 1967, 29973, 319, 1799, 9047, 13566, 29901]


@pytest.mark.parametrize("question", [
    "What is in the image?",
    "   leading spaces are lost",
    "\n\tnewline and tab too",
    "trailing space stays ",
    "Please segment [SEG0] and [SEG5] literally",
    "<s> </s> <unk> <im_start> <im_end> <image> stay text",
    "Ünïcödé 猫 and emoji 🐈",
    "",
])
def test_prompt_against_sentencepiece(tok, sp, question):
    """§5.3 + §15.3: [1] + SP(SYSTEM + " USER:") + [<im_start>, -200, <im_end>] +
    SP((question + " ASSISTANT:").lstrip()), each SP with its own dummy prefix (an empty question
    loses the space before ASSISTANT: too)."""
    ids = tok.build_prompt_ids(question)
    assert ids == [1] + sp.encode(SYSTEM + " USER:") + IMAGE_SLOT + sp.encode((question + " ASSISTANT:").lstrip())
    assert ids.count(1) == 1 and ids.count(-200) == 1
    tail = ids[ids.index(32002) + 1:]
    assert not any(i >= 32000 for i in tail)            # user text never becomes added tokens
    assert tail[0] != 13                                 # the "\n" after <im_end> vanished


def test_literal_seg_in_question_is_text(tok, sp):
    ids = tok.build_prompt_ids("[SEG0]")
    assert ids[-len(sp.encode("[SEG0] ASSISTANT:")):] == sp.encode("[SEG0] ASSISTANT:")
    assert 32003 not in ids


def test_prompt_text():
    assert prompt_text("Hi") == SYSTEM + " USER: <im_start><image><im_end>\nHi ASSISTANT:"


def test_forced_answer_splits_added_tokens(tok, sp):
    ids = tok.encode_answer("The cat [SEG0][SEG1][SEG2][SEG3][SEG4][SEG5] and the dog [SEG0].")
    assert ids == (sp.encode("The cat") + list(range(32003, 32009)) + sp.encode("and the dog")
                   + [32003] + sp.encode(".") + [2])


def test_decode(tok):
    ids = tok.encode_answer("The cat [SEG0][SEG1] and the dog.")
    assert tok.decode(ids) == "The cat[SEG0][SEG1] and the dog."
    assert tok.decode([1, 450, -200, 6635, 2]) == "The<image> cat"


def test_tokenizer_rejects_bad_added_tokens(tokenizer_path):
    bad = layout_7b()
    bad["[SEG5]"] = 32010
    with pytest.raises(TokenizerError, match="contiguous"):
        Tokenizer(tokenizer_path, bad)
    missing = layout_7b()
    del missing["[SEG5]"]
    with pytest.raises(TokenizerError, match=r"\[SEG5\]"):
        Tokenizer(tokenizer_path, missing)
    with pytest.raises(TokenizerError, match="does not exist"):
        Tokenizer(tokenizer_path + ".nope", layout_7b())
