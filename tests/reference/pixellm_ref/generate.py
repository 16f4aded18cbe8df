"""Image splicing (§5.4) and greedy / teacher-forced generation (§6.2, §6.3)."""
from dataclasses import dataclass

import torch

from .config import EOS_ID, IMAGE_TOKEN_INDEX, NUM_IMAGE_TOKENS
from .llama import forward_llm


def splice(model, ids, image_tokens, token_mask):
    """§5.4: [emb(ids[:k]), 256 image rows, emb(ids[k+1:])] with k the index of the single -200.
    ids: list of int; image_tokens [1,256,D]; token_mask [16,16] bool.
    Returns (embeds [1,len(ids)+255,D], key_valid [len(ids)+255] bool)."""
    if ids.count(IMAGE_TOKEN_INDEX) != 1:
        raise ValueError(f"the prompt must hold exactly one image placeholder {IMAGE_TOKEN_INDEX}")
    k = ids.index(IMAGE_TOKEN_INDEX)
    emb = model.model.embed_tokens
    before = emb(torch.tensor(ids[:k], dtype=torch.long))[None]                           # [1,k,D]
    after = emb(torch.tensor(ids[k + 1:], dtype=torch.long))[None]       # [1,len-k-1,D]
    embeds = torch.cat([before, image_tokens, after], dim=1)             # [1,L,D]
    key_valid = torch.cat([torch.ones(k, dtype=torch.bool), token_mask.flatten(),
                           torch.ones(len(ids) - k - 1, dtype=torch.bool)])  # [L]
    assert embeds.shape[1] == len(ids) + NUM_IMAGE_TOKENS - 1
    return embeds, key_valid


@dataclass
class Generation:
    ids: list                  # generated ids (EOS included when emitted)
    logits: torch.Tensor       # [n,V] logits that chose (or, forced, scored) each generated id
    hidden: torch.Tensor       # [1,T+254,D] post-norm states of s[0..T-2] (§6.3)


def generate(model, embeds, key_valid, max_new_tokens=512, forced=None, use_cache=True):
    """§6.2: greedy decoding (argmax; ties -> lowest id), stop after EOS or max_new_tokens.
    forced: a list of ids to teacher-force instead of the argmax (max_new_tokens is then ignored;
    the logits are still those the model produces at each step).
    use_cache=False recomputes the whole sequence every step exactly like the original; the
    returned hidden states are then those of the last forward, covering s[0..T-2].
    With the cache they are the concatenation of every computed step, i.e. the same positions."""
    cfg, emb = model.config, model.model.embed_tokens
    steps = len(forced) if forced is not None else max_new_tokens
    if steps < 1:
        raise ValueError("at least one new token is needed")
    ids, logits = [], []
    if use_cache:
        hidden, cache = forward_llm(model.model, cfg, embeds, key_valid)        # [1,L,D]
        chunks = [hidden]
    else:
        seq_embeds, seq_valid = embeds, key_valid
        hidden, _ = forward_llm(model.model, cfg, seq_embeds, seq_valid)
    for step in range(steps):
        step_logits = model.lm_head(hidden[0, -1])                              # [V]
        nxt = forced[step] if forced is not None else int(torch.argmax(step_logits))
        ids.append(nxt)
        logits.append(step_logits)
        if nxt == EOS_ID or step + 1 == steps:
            break
        new = emb(torch.tensor([nxt]))[None]                                    # [1,1,D]
        one = torch.ones(1, dtype=torch.bool)
        if use_cache:
            hidden, cache = forward_llm(model.model, cfg, new, one, cache)      # [1,1,D]
            chunks.append(hidden)
        else:
            seq_embeds = torch.cat([seq_embeds, new], dim=1)
            seq_valid = torch.cat([seq_valid, one])
            hidden, _ = forward_llm(model.model, cfg, seq_embeds, seq_valid)    # [1,L+step+1,D]
    all_hidden = torch.cat(chunks, dim=1) if use_cache else hidden
    return Generation(ids=ids, logits=torch.stack(logits), hidden=all_hidden)
